/** The spoken-digit example as a library (the CLI is run.ts). */
export { loadDataset, listRecordings, randomSplit, speakerSplit, fitLength, recordingsDir, SAMPLE_RATE, FILE_PATTERN, DatasetError, type Dataset, type Recording, type Split } from './dataset.js';
export { generateSynthetic, checkTools, expectedManifest, SPEAKERS, DIGIT_WORDS, ToolMissingError, type SynthOptions, type SynthManifest, type SyntheticSpeaker } from './synth.js';
export { createModel, DEFAULT_MODEL, type Model, type ModelConfig } from './model.js';
export { train, evaluate, type TrainOptions, type TrainResult, type EpochRecord, type Metrics } from './train.js';
export { runTable, splitFor, type TableOptions, type RunSummary } from './experiment.js';
export { useBackend, type BackendName } from './backend.js';
