import { describe, expect, it } from 'vitest';
import { overlayLine, spectrogramFigure } from './index.js';

describe('overlayLine', () => {
  it('draws in data coordinates inside the plot area only, in the given colour', () => {
    const S = new Float64Array(10 * 20).fill(1e-6); // flat: one colour everywhere
    const fig = spectrogramFigure(S, { freqs: 10, frames: 20, dt: 0.1, df: 50, title: '' });
    const p = fig.plot;
    const before = Uint8ClampedArray.from(fig.data);
    // a horizontal line at 225 Hz over the whole time range, and a point far outside (clipped)
    overlayLine(fig, [p.xMin, p.xMax, p.xMax + 100], [225, 225, 5000], { color: '#ff0000', lineWidth: 2 });
    const row = Math.round(p.y + p.height - ((225 - p.yMin) / (p.yMax - p.yMin)) * p.height - 0.5);
    const mid = Math.round(p.x + p.width / 2);
    const at = (x: number, y: number) => Array.from(fig.data.subarray((y * fig.width + x) * 4, (y * fig.width + x) * 4 + 3));
    expect(at(mid, row)).toEqual([255, 0, 0]);
    // nothing changed outside the plot area
    for (let y = 0; y < fig.height; y++) {
      for (let x = 0; x < fig.width; x++) {
        if (x >= p.x && x < p.x + p.width && y >= p.y && y < p.y + p.height) continue;
        const k = (y * fig.width + x) * 4;
        if (fig.data[k] !== before[k] || fig.data[k + 1] !== before[k + 1] || fig.data[k + 2] !== before[k + 2]) throw new Error(`pixel ${x},${y} outside the plot changed`);
      }
    }
    expect(() => overlayLine(fig, [0, 1], [1])).toThrow(/y.length = 1 but x.length = 2/);
  });
});
