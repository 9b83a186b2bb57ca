// tableRuns / scatterFrame against the definition they shortcut: r[j] = buf[(j + s) mod N] read with `%`, and
// out[off + j] += w[j]·r[j], for every shift s and clipped ranges [jlo, jhi) that do and do not wrap.
import { describe, expect, it } from 'vitest';
import { scatterFrame, tableRuns } from './bins-to-samples.js';
import type { FrameTable } from './frame-table.js';

describe('tableRuns / scatterFrame', () => {
  it('read buf[(j + s) mod N] for j in [jlo, jhi) exactly once, in two contiguous runs, for every s', () => {
    const N = 16;
    const runs = new Int32Array(5);
    const buf = Float64Array.from({ length: N }, (_, k) => 1 + k * k);
    const w = Float64Array.from({ length: N }, (_, k) => 0.5 + 0.25 * k);
    for (const [jlo, jhi] of [[0, 16], [3, 11], [0, 5], [9, 16], [7, 7]] as const) {
      const table = { jlo, jhi } as FrameTable;
      for (let s = 0; s < N; s++) {
        tableRuns(table, N, s, runs);
        const [lo, e1, s2, hi, wrap] = runs;
        expect([lo, hi, wrap]).toEqual([jlo, jhi, N - s]);
        const seen: number[] = [];
        for (let j = lo!; j < e1!; j++) seen.push(j);
        for (let j = s2!; j < hi!; j++) seen.push(j);
        expect(seen).toEqual(Array.from({ length: jhi - jlo }, (_, k) => jlo + k));
        for (let j = lo!; j < e1!; j++) expect(j + s).toBeLessThan(N);
        for (let j = s2!; j < hi!; j++) expect(j - wrap!).toBeGreaterThanOrEqual(0);
        const out = new Float64Array(40).fill(0.125);
        const want = out.slice();
        for (let j = jlo; j < jhi; j++) want[5 + j] = want[5 + j]! + w[j]! * buf[(j + s) % N]!;
        scatterFrame(out, w, buf, 5, runs, s);
        expect(Array.from(out)).toEqual(Array.from(want));
      }
    }
  });
});
