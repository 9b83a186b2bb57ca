/**
 * Cancellation: one mechanism for every long loop of dstft-ts. A function that runs many transforms takes
 * `signal` (an `AbortSignal`, or anything with a boolean `aborted`) and checks it between units of work (one
 * transform, one grid candidate, one optimizer step, one batch), so an abort is seen after at most one unit.
 *
 * Step-wise optimizers (`minimize`, `optimize`, `trainTask`) stop with `stopReason: 'aborted'` and return the best
 * values so far; functions with no meaningful partial result (`gridSearch`, `optimizeConstantTheta`, the
 * experiments) throw an `AbortError`.
 */
import { DstftError, ParameterError } from './errors.js';

/** Structural subset of the DOM / Node `AbortSignal` (any real AbortSignal fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  /** Why it was aborted (a real AbortSignal's `reason`); shown in the error message when it is a string or an Error. */
  readonly reason?: unknown;
}

/** A long computation was stopped through its `signal`. `code` is 'ERR_ABORTED' (the CLI exits with 130). */
export class AbortError extends DstftError {
  /** The signal's reason, when it gave one. */
  readonly reason: unknown;
  constructor(where: string, reason?: unknown) {
    const why = typeof reason === 'string' ? reason : reason instanceof Error && reason.name !== 'AbortError' ? reason.message : '';
    super('ERR_ABORTED', `${where}: aborted${why ? ` (${why})` : ''}`);
    this.reason = reason;
  }
}

/** Throws an `AbortError` naming `where` when `signal` is aborted; does nothing without a signal. */
export function throwIfAborted(signal: AbortSignalLike | undefined, where: string): void {
  if (signal !== undefined && signal.aborted) throw new AbortError(where, signal.reason);
}

/** Validates an optional `signal` option: `undefined`, or an object with a boolean `aborted`. */
export function checkAbortSignal(value: unknown, parameter: string): AbortSignalLike | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new ParameterError(parameter, value, 'expected an AbortSignal', 'pass controller.signal of an AbortController, or leave it out');
  }
  return value as AbortSignalLike;
}

/** True for an `AbortError` of ours and for the DOM's `AbortError` (`DOMException` or a rejected fetch). */
export function isAbortError(e: unknown): boolean {
  return e instanceof AbortError || (e instanceof Error && e.name === 'AbortError');
}
