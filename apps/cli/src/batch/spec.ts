/** What `dstft batch` runs: the single-file commands it accepts, and the plain data its workers receive. */
import { grid } from '../commands/grid.js';
import { optimize } from '../commands/optimize.js';
import { spectrogram } from '../commands/spectrogram.js';
import { track } from '../commands/track.js';
import type { CommandSpec } from '../commands/types.js';
import type { GlobalFlags } from '../context.js';

export const BATCH_COMMANDS: readonly CommandSpec[] = [spectrogram, optimize, track, grid];

export interface BatchOptions {
  command: string;
  /** The command's options as its own parser produced them (plain data). */
  opts: Record<string, unknown>;
  flags: GlobalFlags;
  /** Worker threads of the run: each gets this share of the memory budget. */
  jobs: number;
}
