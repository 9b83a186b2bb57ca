export * from './errors.js';
export * from './plugins.js';
export * from './registry.js';
export * from './validate.js';
export * from './window-sampling.js';
export * from './params.js';
export * from './fft.js';
export * from './random.js';
