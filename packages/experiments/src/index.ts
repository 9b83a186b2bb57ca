export { runViA, VI_A_FULL, VI_A_QUICK, meanAbsNeighbourDiff, type ViAConfig, type ExperimentOutput } from './vi-a.js';
export { runViB, VI_B_FULL, VI_B_QUICK, type ViBConfig } from './vi-b.js';
export { runViC, VI_C_FULL, VI_C_QUICK, type ViCConfig } from './vi-c.js';
export { runViiA, VII_A_FULL, VII_A_QUICK, type ViiAConfig } from './vii-a.js';
export { EXPERIMENTS, runExperiment, type ExperimentId, type Log } from './registry.js';
