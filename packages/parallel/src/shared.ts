/**
 * Shared memory of a parallel transform: Float64Array views on SharedArrayBuffers, the slot table through which
 * large arrays (signals, X, S, upstream gradients) reach the workers, staging copies of arrays that are not
 * shared, and the block that carries the per-call parameters (θ, hop, t0, hops, positions).
 */
import { FrameTable, type StftPlan } from '@dstft/kernel';
import { ARRAYS, type SlotsMessage } from './protocol.js';

export function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
}

/** Whether the array's memory is shared (so worker threads can use it in place). */
export function isShared(a: Float64Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** Large shared buffers the workers hold at most (least recently used ones are dropped beyond it). */
const MAX_SLOTS = 8;

/**
 * Large arrays travel as shared buffers known to the workers by slot id: a buffer is registered the first time a job
 * uses it, and the least recently used ones beyond MAX_SLOTS are dropped (so results the user dropped are not kept
 * alive by the workers). `bind` puts an array in a role of the next job; `flush` returns the slot changes to post.
 */
export class SlotTable {
  readonly #ids = new WeakMap<SharedArrayBuffer, number>();
  readonly #live: number[] = [];
  #next = 1;
  #pending: SlotsMessage | null = null;

  #slotOf(sab: SharedArrayBuffer): number {
    const known = this.#ids.get(sab);
    if (known !== undefined) {
      const at = this.#live.indexOf(known);
      if (at >= 0) {
        if (at !== this.#live.length - 1) {
          this.#live.splice(at, 1);
          this.#live.push(known);
        }
        return known;
      }
    }
    const id = this.#next++;
    this.#ids.set(sab, id);
    this.#live.push(id);
    this.#pending ??= { kind: 'slots', add: [], drop: [] };
    this.#pending.add.push([id, sab]);
    return id;
  }

  /** Writes (slot, offset) of shared array `a` for role `role` into each control block. */
  bind(controls: readonly Int32Array[], role: number, a: Float64Array): void {
    const id = this.#slotOf(a.buffer as SharedArrayBuffer);
    for (const ctrl of controls) {
      ctrl[ARRAYS + 2 * role] = id;
      ctrl[ARRAYS + 2 * role + 1] = a.byteOffset / 8;
    }
  }

  /** The slot changes since the last flush (null if none), dropping the oldest beyond max(MAX_SLOTS, inUse). */
  flush(inUse: number): SlotsMessage | null {
    const msg = this.#pending;
    if (msg === null) return null;
    while (this.#live.length > Math.max(MAX_SLOTS, inUse)) msg.drop.push(this.#live.shift()!);
    this.#pending = null;
    return msg;
  }
}

/** Shared staging copies of arrays that are not shared, by name, grown on demand and reused. */
export class Staging {
  readonly #arrays = new Map<string, Float64Array>();

  get(name: string, length: number): Float64Array {
    let a = this.#arrays.get(name);
    if (a === undefined || a.length < length) {
      a = sharedF64(length);
      this.#arrays.set(name, a);
    }
    return a.length === length ? a : a.subarray(0, length);
  }

  /** `a` itself when shared, else a staged copy of it. */
  shared(name: string, a: Float64Array): Float64Array {
    if (isShared(a)) return a;
    const s = this.get(name, a.length);
    s.set(a);
    return s;
  }
}

/**
 * The frame table of a call in one shared buffer, written by the calling thread (which validated the parameters
 * and built the table once) and read by the workers as views (no copies): `[θ length, T, θ…, t_0 … t_{T-1}]`. A
 * worker rebuilds the table's geometry from θ and t_n (O(T)) without validating them again and passes it to the
 * public `stftForward(…, { table })` and `new ForwardCache(…, { table })`.
 */
export class ParamsBlock {
  data: Float64Array;

  constructor(data: Float64Array) {
    this.data = data;
  }

  /** Entries needed for a table of θ length `thetaLength` and T frames. */
  static lengthFor(thetaLength: number, frames: number): number {
    return 2 + thetaLength + frames;
  }

  /** θ and t_n of a table (or of a forward cache, which holds the same). */
  write(table: Pick<FrameTable, 'theta' | 'positions' | 'frames'>): void {
    const d = this.data;
    const { theta, frames: T } = table;
    d[0] = theta.length;
    d[1] = T;
    d.set(theta, 2);
    d.set(table.positions.subarray(0, T), 2 + theta.length);
  }

  /** The table written last, over views of the block (trusted: the calling thread validated its parameters). */
  read(plan: StftPlan): FrameTable {
    const d = this.data;
    const nTheta = d[0]!;
    const T = d[1]!;
    return new FrameTable(plan, d.subarray(2, 2 + nTheta), d.subarray(2 + nTheta, 2 + nTheta + T), T);
  }
}
