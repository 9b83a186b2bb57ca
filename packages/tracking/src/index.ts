export * from './signals.js';
export * from './estimate.js';
export * from './ridge.js';
export * from './task.js';
