export {
  openOutputDir,
  checkOutputDir,
  checkOutputFile,
  writeFileAtomic,
  openAtomicStream,
  freshOutputPath,
  installSignalHandlers,
  cleanupAfterFailure,
  cleanupAfterInterrupt,
  setOutputJournal,
  removeJournaled,
  type OutputJournalEntry,
  round,
  OutputError,
  type OutputDir,
  type AtomicStream,
} from './output.js';
export { runInterruptible, workerAbortSignal, workerInput, reportDone, type InterruptibleOptions } from './interrupt.js';
