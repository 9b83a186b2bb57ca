import { describe, expect, it } from 'vitest';
import type { Figure } from './figure.js';
import { lineFigure } from './line-figure.js';
import { pixel } from './rng.test-support.js';

/** Image position of data point (x, y). */
function at(fig: Figure, x: number, y: number): [number, number] {
  const p = fig.plot;
  const fy = p.logY ? (Math.log10(y) - Math.log10(p.yMin)) / (Math.log10(p.yMax) - Math.log10(p.yMin)) : (y - p.yMin) / (p.yMax - p.yMin);
  return [Math.floor(p.x + ((x - p.xMin) / (p.xMax - p.xMin)) * p.width), Math.floor(p.y + (1 - fy) * p.height)];
}

const RED = [255, 0, 0, 255];
const WHITE = [255, 255, 255, 255];

describe('lineFigure', () => {
  const xs = Array.from({ length: 11 }, (_, i) => i);

  it('draws y = x through the expected pixels and nowhere far from them', () => {
    const fig = lineFigure([{ x: xs, y: xs, color: '#ff0000' }], { grid: false, xRange: [0, 10], yRange: [0, 10], width: 400, height: 300 });
    for (const v of [0.5, 2, 3.3, 5, 7.7, 9.5]) {
      const [px, py] = at(fig, v, v);
      // The pixel holding the point: its centre is within 0.71 px of the 2 px line, so at least 80 % red.
      const [r, g, b] = pixel(fig, px, py);
      expect([r, g <= 51, b <= 51], `at x = y = ${v}`).toEqual([255, true, true]);
    }
    // Every red pixel lies within 2 px of the diagonal of the plot.
    const p = fig.plot;
    let red = 0;
    for (let y = p.y; y < p.y + p.height; y++) {
      for (let x = p.x; x < p.x + p.width; x++) {
        if (pixel(fig, x, y)[0] === 255 && pixel(fig, x, y)[1] < 250) {
          red++;
          const lineY = p.y + p.height - ((x + 0.5 - p.x) / p.width) * p.height;
          const dist = Math.abs(y + 0.5 - lineY) / Math.hypot(1, p.height / p.width);
          expect(dist).toBeLessThan(2);
        }
      }
    }
    expect(red).toBeGreaterThan(p.width);
    const [fx, fy] = at(fig, 8, 2);
    expect(pixel(fig, fx, fy)).toEqual(WHITE);
  });

  it('draws a legend where the data is not (upper left for y = x)', () => {
    const fig = lineFigure([{ x: xs, y: xs, color: '#ff0000', label: 'y = x' }], { grid: false, width: 400, height: 300 });
    const p = fig.plot;
    const region = (x0: number, y0: number, x1: number, y1: number, rgba: number[]) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(fig, x, y).join() === rgba.join()) n++;
      return n;
    };
    const q = { x0: p.x, y0: p.y, x1: p.x + p.width / 3, y1: p.y + p.height / 4 };
    expect(region(q.x0, q.y0, q.x1, q.y1, [0, 0, 0, 255])).toBeGreaterThan(20); // label text
    expect(region(q.x0, q.y0, q.x1, q.y1, RED)).toBeGreaterThan(20); // line sample
    const none = lineFigure([{ x: xs, y: xs, color: '#ff0000', label: 'y = x' }], { grid: false, width: 400, height: 300, legend: 'none' });
    let black = 0;
    for (let y = q.y0; y < q.y1; y++) for (let x = q.x0; x < q.x1; x++) if (pixel(none, x, y).join() === '0,0,0,255') black++;
    expect(black).toBe(0);
  });

  it('puts powers of ten evenly on a log axis and skips non-positive values', () => {
    const x = [0, 1, 2, 3, 4];
    const fig = lineFigure([{ x, y: [1, 10, 100, 1000, -1], color: '#ff0000' }], { logY: true, grid: false });
    expect(fig.plot.logY).toBe(true);
    for (const i of [0.5, 1.5, 2.5]) {
      const [px, py] = at(fig, i, 10 ** i);
      expect(pixel(fig, px, py)).toEqual(RED);
    }
    const [px, py] = at(fig, 3.5, 31);
    expect(pixel(fig, px, py)).toEqual(WHITE); // no segment to the point at y = -1
  });

  it('leaves gaps at NaN, draws markers and scatter series', () => {
    const fig = lineFigure(
      [
        { x: [0, 1, 2, 3], y: [0, 1, NaN, 3], color: '#ff0000' },
        { x: [1.5], y: [2.5], line: false, marker: 'square', color: '#0000ff' },
      ],
      { grid: false, xRange: [0, 3], yRange: [0, 3] },
    );
    const [gx, gy] = at(fig, 1.5, 1.5);
    expect(pixel(fig, gx, gy)).toEqual(WHITE);
    const [mx, my] = at(fig, 1.5, 2.5);
    expect(pixel(fig, mx, my)).toEqual([0, 0, 255, 255]);
  });

  it('rejects bad series and options', () => {
    expect(() => lineFigure([])).toThrow(/non-empty array/);
    expect(() => lineFigure([{ x: [1, 2], y: [1] }])).toThrow(/series\[0\].y.length = 1/);
    expect(() => lineFigure([{ x: [1], y: [1], color: 'red' }])).toThrow(/series\[0\].color = "red"/);
    expect(() => lineFigure([{ x: [1], y: [1] }], { yRange: [2, 1] })).toThrow(/min < max/);
    expect(() => lineFigure([{ x: [1], y: [1] }], { logY: true, yRange: [0, 1] })).toThrow(/yRange\[0\] must be > 0/);
    expect(() => lineFigure([{ x: [1], y: [1] }], { width: 70 })).toThrow(/leaves a/);
    expect(() => lineFigure([{ x: [1], y: [1], marker: 'star' as 'circle' }])).toThrow(/marker = "star"/);
  });
});
