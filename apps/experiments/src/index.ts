export { runViA, VI_A_FULL, VI_A_QUICK, meanAbsNeighbourDiff, type ViAConfig, type ExperimentOutput } from './vi-a.js';
export { runViB, VI_B_FULL, VI_B_QUICK, type ViBConfig } from './vi-b.js';
export { openOutputDir, round, OutputError, type OutputDir } from './output.js';
export { EXPERIMENTS, runExperiment, type ExperimentId } from './registry.js';
