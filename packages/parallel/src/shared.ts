/**
 * Shared memory of a parallel transform: Float64Array views on SharedArrayBuffers, the slot table through which
 * large arrays (signals, X, S, upstream gradients) reach the workers, staging copies of arrays that are not
 * shared, and the block that carries the per-call parameters (θ, hop, t0, hops, positions).
 */
import type { StftParams } from '@dstft/kernel';
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

/** Header of the parameter block: lengths of θ, hops (-1: absent), positions (-1: absent); hop and t0 (NaN: absent). */
const HEADER = 5;

/**
 * The per-call parameters in one shared buffer, written by the calling thread and read by the workers as views (no
 * copies): `[θ length, hops length, positions length, hop, t0, θ…, hops…, positions…]`. Workers pass them to the
 * public `stftForward`, which validates them and builds the frame table on each thread.
 */
export class ParamsBlock {
  data: Float64Array;

  constructor(data: Float64Array) {
    this.data = data;
  }

  /** Entries needed for these parameters. */
  static lengthFor(params: StftParams): number {
    return HEADER + params.theta.length + (params.hops?.length ?? 0) + (params.positions?.length ?? 0);
  }

  write(params: StftParams): void {
    const d = this.data;
    const { theta, hops, positions } = params;
    d[0] = theta.length;
    d[1] = hops ? hops.length : -1;
    d[2] = positions ? positions.length : -1;
    d[3] = params.hop ?? Number.NaN;
    d[4] = params.t0 ?? Number.NaN;
    let o = HEADER;
    d.set(theta, o);
    o += theta.length;
    if (hops) {
      d.set(hops, o);
      o += hops.length;
    }
    if (positions) d.set(positions, o);
  }

  read(): StftParams {
    const d = this.data;
    const nTheta = d[0]!;
    const nHops = d[1]!;
    const nPos = d[2]!;
    let o = HEADER;
    const out: { -readonly [K in keyof StftParams]: StftParams[K] } = { theta: d.subarray(o, o + nTheta) };
    o += nTheta;
    if (nHops >= 0) {
      out.hops = d.subarray(o, o + nHops);
      o += nHops;
    }
    if (nPos >= 0) out.positions = d.subarray(o, o + nPos);
    if (!Number.isNaN(d[3])) out.hop = d[3];
    if (!Number.isNaN(d[4])) out.t0 = d[4];
    return out;
  }
}
