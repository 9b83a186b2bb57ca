import { DstftError } from '@dstft/core';

/**
 * A WAV file that cannot be decoded. The message names the file (`options.name` of `decodeWav`, default
 * `"input"`), the problem and the fix: `WAV file "<name>": <problem>. Fix: <fix>`.
 */
export class WavError extends DstftError {
  /** The file name given to `decodeWav` (or `"input"`). */
  readonly file: string;
  /** What is wrong, without the file name and the fix. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
  constructor(file: string, problem: string, fix: string) {
    super('ERR_WAV', `WAV file ${JSON.stringify(file)}: ${problem}. Fix: ${fix}`);
    this.file = file;
    this.problem = problem;
    this.fix = fix;
  }
}
