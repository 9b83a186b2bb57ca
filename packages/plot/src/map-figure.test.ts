import { describe, expect, it } from 'vitest';
import { colormap } from './colormap.js';
import type { Figure } from './figure.js';
import { mapFigure } from './map-figure.js';
import { lutColor, pixel } from './rng.test-support.js';

const viridis = colormap('viridis').lut;
const colOf = (fig: Figure, t: number) => fig.plot.x + Math.floor(((t - fig.plot.xMin) / (fig.plot.xMax - fig.plot.xMin)) * fig.plot.width);
const rowOf = (fig: Figure, f: number) => fig.plot.y + fig.plot.height - 1 - Math.floor(((f - fig.plot.yMin) / (fig.plot.yMax - fig.plot.yMin)) * fig.plot.height);

describe('mapFigure', () => {
  it('maps values linearly from vmin (bottom colour) to vmax (top colour), row 0 at the bottom', () => {
    const rows = 3;
    const cols = 5;
    const v = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) v[r * cols + c] = 100 + 100 * c + r;
    const fig = mapFigure(v, rows, cols, { dt: 0.5 });
    expect(fig.colorbar!.vmin).toBe(100);
    expect(fig.colorbar!.vmax).toBe(502);
    expect(pixel(fig, colOf(fig, 0), rowOf(fig, 0))).toEqual(lutColor(viridis, 0));
    expect(pixel(fig, colOf(fig, 2), rowOf(fig, 2))).toEqual(lutColor(viridis, 255));
    // 302 sits at 202/402 of the scale: index floor(0.5025 · 256) = 128.
    expect(pixel(fig, colOf(fig, 1), rowOf(fig, 2))).toEqual(lutColor(viridis, 128));
    expect(rowOf(fig, 0)).toBeGreaterThan(rowOf(fig, 2));
  });

  it('clamps to vmin / vmax and colours NaN', () => {
    const v = Float64Array.of(0, 5, 10, NaN);
    const fig = mapFigure(v, 2, 2, { vmin: 2, vmax: 8, colormap: 'gray', nanColor: [1, 2, 3] });
    expect(pixel(fig, colOf(fig, 0), rowOf(fig, 0))).toEqual([0, 0, 0, 255]);
    expect(pixel(fig, colOf(fig, 1), rowOf(fig, 0))).toEqual([128, 128, 128, 255]);
    expect(pixel(fig, colOf(fig, 0), rowOf(fig, 1))).toEqual([255, 255, 255, 255]);
    expect(pixel(fig, colOf(fig, 1), rowOf(fig, 1))).toEqual([1, 2, 3, 255]);
  });

  it('draws a constant map in the middle colour of a widened scale', () => {
    const fig = mapFigure(new Float32Array(6).fill(256), 2, 3);
    expect(fig.colorbar!.vmin).toBeLessThan(256);
    expect(fig.colorbar!.vmax).toBeGreaterThan(256);
    expect(pixel(fig, colOf(fig, 1), rowOf(fig, 1))).toEqual(lutColor(viridis, 128));
  });

  it('draws a single row as a line plot by default, or as a strip with a colour bar', () => {
    const theta = Float64Array.from({ length: 100 }, (_, i) => 200 + i);
    const line = mapFigure(theta, 1, 100, { dt: 0.01 });
    expect(line.colorbar).toBeNull();
    expect(line.plot.yMin).toBeLessThan(200);
    expect(line.plot.yMax).toBeGreaterThan(299);
    const strip = mapFigure(theta, 1, 100, { dt: 0.01, singleRow: 'strip' });
    expect(strip.colorbar).not.toBeNull();
    expect(strip.plot.height).toBe(40);
    expect(pixel(strip, colOf(strip, 0.99), strip.plot.y)).toEqual(lutColor(viridis, 255));
  });

  it('rejects bad shapes and options', () => {
    expect(() => mapFigure(new Float64Array(5), 2, 3)).toThrow(/values.length = 5/);
    expect(() => mapFigure(new Float64Array(6), 2, 0)).toThrow(/cols must be ≥ 1/);
    expect(() => mapFigure(new Float64Array(6), 2, 3, { vmin: 5, vmax: 1 })).toThrow(/vmin = 5 is above options.vmax = 1/);
    expect(() => mapFigure(new Float64Array(6), 2, 3, { singleRow: 'bar' as 'line' })).toThrow(/singleRow = "bar"/);
    expect(() => mapFigure(new Float64Array(6), 2, 3, { frequencies: [1, 1] })).toThrow(/frequencies must be strictly increasing/);
  });
});
