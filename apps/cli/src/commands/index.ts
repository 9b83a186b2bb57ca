/**
 * Every command of `dstft`, in help order. Adding a command = one file in this folder + one entry here.
 */
import { batch } from './batch.js';
import { grid } from './grid.js';
import { inverse } from './inverse.js';
import { optimize } from './optimize.js';
import { plugins } from './plugins.js';
import { reproduce } from './reproduce.js';
import { spectrogram } from './spectrogram.js';
import { synth } from './synth.js';
import { track } from './track.js';
import type { CommandSpec } from './types.js';

export const COMMANDS: readonly CommandSpec[] = [spectrogram, optimize, track, inverse, synth, grid, plugins, reproduce, batch];
