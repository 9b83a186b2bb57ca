// The heatmap figure behind spectrogramFigure and mapFigure (internal): layout, the pixel ↔ cell mapping with max
// aggregation, colouring, axes, colour bar and title.
//
// Cells. Row r / column n of the data sits at its centre value (frequency, frame time); a cell reaches halfway to
// its neighbours (the first and last cell as far out as their one neighbour). The plot shows [first edge, last edge].
// Pixel p of an axis covers [lo + p·w, lo + (p+1)·w) with w = (hi - lo) / pixels. It takes every cell whose centre
// lies in it and shows their maximum (NaN cells ignored unless all are NaN); a pixel holding no centre (the data
// is coarser than the pixels there) takes the cell that contains the pixel's centre, i.e. the nearest one. Every
// cell's centre lies in exactly one pixel, so no cell is ever dropped: a single bright frame among 100 000 squeezed
// into 1 000 columns still shows. The work is one pass over the data plus O(pixels); the memory O(pixels).
import {
  type AxisRange, chooseTicks, drawFrame, drawXAxis, drawYAxis, INK, labelWidth, type Metrics, metrics, type Rect,
} from './axes.js';
import { unpackColor } from './color.js';
import type { Colormap } from './colormap.js';
import type { Figure } from './figure.js';
import { createImage, fillRectPacked, type Image } from './image.js';
import { drawText, measureText } from './text.js';
import type { Samples } from './validate.js';

/** An axis of cells: the centre of each, strictly increasing. */
export interface CellAxis {
  centres: Float64Array;
  label: string;
}

export type ValueScale =
  | { kind: 'db'; factor: number; dynamicRange: number; vmax: number | undefined }
  | { kind: 'linear'; vmin: number | undefined; vmax: number | undefined };

export interface HeatmapSpec {
  fn: string;
  /** Row-major [rows][cols]; row 0 is drawn at the bottom. */
  values: Samples;
  rows: number;
  cols: number;
  x: CellAxis;
  y: CellAxis;
  scale: ValueScale;
  cmap: Colormap;
  nanRgb: number;
  background: number;
  title: string;
  colorbarLabel: string;
  maxWidth: number;
  maxHeight: number;
  /** Upper bound of the plot height in pixels (strips), or Infinity. */
  maxPlotHeight: number;
  fontScale: number;
}

/** Pixel → cell index ranges [start, end) along one axis, plus the axis' value range. */
export interface PixelRanges {
  start: Int32Array;
  end: Int32Array;
  lo: number;
  hi: number;
}

/** Outer edges of the cells: [first centre - half its gap, last centre + half its gap]; a single cell gets ±half. */
export function cellExtent(c: Float64Array, half: number): { lo: number; hi: number } {
  const n = c.length;
  if (n === 1) return { lo: c[0] - half, hi: c[0] + half };
  return { lo: c[0] - (c[1] - c[0]) / 2, hi: c[n - 1] + (c[n - 1] - c[n - 2]) / 2 };
}

/** See the file comment. `c` strictly increasing; `lo`/`hi` its cell extent. O(cells + pixels). */
export function pixelRanges(c: Float64Array, pixels: number, lo: number, hi: number): PixelRanges {
  const n = c.length;
  const start = new Int32Array(pixels);
  const end = new Int32Array(pixels);
  const w = (hi - lo) / pixels;
  let i0 = 0; // first centre ≥ a
  let i1 = 0; // first centre ≥ b
  let j = 0; // cell containing the pixel centre
  for (let p = 0; p < pixels; p++) {
    const a = lo + p * w;
    const b = p === pixels - 1 ? Infinity : lo + (p + 1) * w;
    while (i0 < n && c[i0] < a) i0++;
    if (i1 < i0) i1 = i0;
    while (i1 < n && c[i1] < b) i1++;
    if (i1 > i0) {
      start[p] = i0;
      end[p] = i1;
    } else {
      const mid = a + w / 2;
      // Cell j spans [(c[j-1]+c[j])/2, (c[j]+c[j+1])/2).
      while (j < n - 1 && (c[j] + c[j + 1]) / 2 <= mid) j++;
      start[p] = j;
      end[p] = j + 1;
    }
  }
  return { start, end, lo, hi };
}

/** Pixels for `cells` cells in at most `avail` px: all of `avail` when downsampling, else a whole multiple. */
export function fitPixels(cells: number, avail: number): number {
  return cells >= avail ? avail : cells * Math.floor(avail / cells);
}

/** Min and max of the finite values (NaN and ±Infinity skipped); `min > max` when there are none. */
function finiteRange(v: Samples): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < min && x > -Infinity) min = x;
    if (x > max && x < Infinity) max = x;
  }
  return { min, max };
}

/** The colour scale's ends for the data. */
function resolveScale(spec: HeatmapSpec): { vmin: number; vmax: number } {
  const { fn, scale } = spec;
  const r = finiteRange(spec.values);
  if (scale.kind === 'db') {
    if (r.min < 0) {
      throw new RangeError(
        `${fn}: S holds negative values (min ${r.min}), but it must hold magnitudes (power 1) or powers (power 2). ` +
          'Fix: pass |S| or |S|², not dB or signed values (plot signed data with mapFigure)',
      );
    }
    const vmax = scale.vmax ?? (r.max > 0 ? scale.factor * Math.log10(r.max) : 0);
    return { vmin: vmax - scale.dynamicRange, vmax };
  }
  let vmin = scale.vmin ?? (r.min <= r.max ? r.min : 0);
  let vmax = scale.vmax ?? (r.min <= r.max ? r.max : 1);
  if (scale.vmin === undefined && scale.vmax !== undefined && vmin > vmax) vmin = vmax - 1;
  if (scale.vmax === undefined && scale.vmin !== undefined && vmax < vmin) vmax = vmin + 1;
  if (vmin > vmax) {
    throw new RangeError(`${fn}: options.vmin = ${vmin} is above options.vmax = ${vmax}. Fix: pass vmin < vmax`);
  }
  if (vmin === vmax) {
    const d = vmin !== 0 ? Math.abs(vmin) * 0.05 : 0.5;
    vmin -= d;
    vmax += d;
  }
  return { vmin, vmax };
}

/** Colours the plot: aggregates (max) the cells of every pixel and maps them through the colormap. */
function paint(img: Image, rect: Rect, spec: HeatmapSpec, xr: PixelRanges, yr: PixelRanges, vmin: number, vmax: number): void {
  const { values, cols } = spec;
  const lut = spec.cmap.lut;
  const W = rect.width;
  const H = rect.height;
  const row = new Float64Array(W);
  const cs = xr.start;
  const ce = xr.end;
  const data = img.data;
  const stride = img.width * 4;
  const inv = 1 / (vmax - vmin);
  const db = spec.scale.kind === 'db';
  const factor = spec.scale.kind === 'db' ? spec.scale.factor : 1;
  const nr = (spec.nanRgb >> 16) & 255;
  const ng = (spec.nanRgb >> 8) & 255;
  const nb = spec.nanRgb & 255;
  for (let p = 0; p < H; p++) {
    const y = rect.y + H - 1 - p; // pixel row p = 0 is the bottom
    const k0 = yr.start[p];
    const k1 = yr.end[p];
    const o = y * stride + rect.x * 4;
    if (p > 0 && k0 === yr.start[p - 1] && k1 === yr.end[p - 1]) {
      data.copyWithin(o, o + stride, o + stride + W * 4); // same cells as the row below
      continue;
    }
    row.fill(NaN);
    for (let k = k0; k < k1; k++) {
      const base = k * cols;
      for (let c = 0; c < W; c++) {
        let m = row[c];
        for (let n = base + cs[c], e = base + ce[c]; n < e; n++) {
          const v = values[n];
          if (v > m || m !== m) m = v;
        }
        row[c] = m;
      }
    }
    for (let c = 0, q = o; c < W; c++, q += 4) {
      let v = row[c];
      if (v !== v) {
        data[q] = nr;
        data[q + 1] = ng;
        data[q + 2] = nb;
      } else {
        if (db) v = factor * Math.log10(v);
        const t = (v - vmin) * inv;
        const i = t <= 0 ? 0 : t >= 1 ? 765 : ((t * 256) | 0) * 3;
        data[q] = lut[i];
        data[q + 1] = lut[i + 1];
        data[q + 2] = lut[i + 2];
      }
      data[q + 3] = 255;
    }
  }
}

/** Draws the whole heatmap figure. */
export function heatmapFigure(spec: HeatmapSpec): Figure {
  const { fn } = spec;
  const m: Metrics = metrics(spec.fontScale);
  const title = spec.title;
  const titleSize = measureText(title, { scale: m.s, bold: true });
  const top = m.pad + (title !== '' ? titleSize.height + 2 * m.gap : Math.ceil(m.ch / 2));
  const bottom = 1 + m.tick + m.gap + m.ch + (spec.x.label !== '' ? 2 * m.gap + m.ch : 0) + m.pad;
  const availH = Math.min(spec.maxPlotHeight, spec.maxHeight - top - bottom);
  if (availH < 8) {
    throw new RangeError(`${fn}: options.maxHeight = ${spec.maxHeight} leaves ${availH} px for the plot. Fix: pass at least ${top + bottom + 64}`);
  }
  const plotH = fitPixels(spec.rows, availH);
  const yExt = cellExtent(spec.y.centres, 0.5);
  const yAxis: AxisRange = { lo: yExt.lo, hi: yExt.hi, log: false };
  // A single row (a strip) has no meaningful y positions: no y ticks.
  const yTicks = spec.rows === 1 ? { values: [], labels: [] } : chooseTicks(yAxis, plotH, false, m);
  const left = m.pad + (spec.y.label !== '' ? m.ch + 2 * m.gap : 0) + labelWidth(yTicks, m) + m.gap + m.tick + 1;

  const { vmin, vmax } = resolveScale(spec);
  const cAxis: AxisRange = { lo: vmin, hi: vmax, log: false };
  const cTicks = chooseTicks(cAxis, plotH, false, m);
  const cbGap = 14 * m.s;
  const cbWidth = 14 * m.s;
  // The colour bar label reads bottom to top beside the bar, or horizontally if the bar is too short for it (strips).
  const cbLabelW = measureText(spec.colorbarLabel, { scale: m.s }).width;
  const cbLabelRotated = cbLabelW <= plotH;
  const right = 1 + cbGap + cbWidth + 1 + m.tick + m.gap + labelWidth(cTicks, m) +
    (spec.colorbarLabel !== '' ? 2 * m.gap + (cbLabelRotated ? m.ch : cbLabelW) : 0) + m.pad;
  const availW = spec.maxWidth - left - right;
  if (availW < 8) {
    throw new RangeError(`${fn}: options.maxWidth = ${spec.maxWidth} leaves ${availW} px for the plot. Fix: pass at least ${left + right + 64}`);
  }
  const plotW = fitPixels(spec.cols, availW);
  const xExt = cellExtent(spec.x.centres, 0.5);
  const xAxis: AxisRange = { lo: xExt.lo, hi: xExt.hi, log: false };
  const xTicks = chooseTicks(xAxis, plotW, true, m);

  const width = left + plotW + right;
  const height = top + plotH + bottom;
  const img = createImage(width, height, unpackColor(spec.background));
  const rect: Rect = { x: left, y: top, width: plotW, height: plotH };

  paint(img, rect, spec, pixelRanges(spec.x.centres, plotW, xExt.lo, xExt.hi), pixelRanges(spec.y.centres, plotH, yExt.lo, yExt.hi), vmin, vmax);
  drawFrame(img, rect, INK);
  drawXAxis(img, rect, xAxis, xTicks, m);
  drawYAxis(img, rect, yAxis, yTicks, m, 'left');

  // Colour bar: row r (0 = top) shows the value at its centre.
  const cb: Rect = { x: left + plotW + 1 + cbGap, y: top, width: cbWidth, height: plotH };
  const lut = spec.cmap.lut;
  for (let r = 0; r < plotH; r++) {
    const t = 1 - (r + 0.5) / plotH;
    const i = Math.min(255, Math.floor(t * 256)) * 3;
    fillRectPacked(img, cb.x, cb.y + r, cb.width, 1, (lut[i] << 16) | (lut[i + 1] << 8) | lut[i + 2]);
  }
  drawFrame(img, cb, INK);
  drawYAxis(img, cb, cAxis, cTicks, m, 'right');

  if (spec.x.label !== '') {
    drawText(img, left + plotW / 2, top + plotH + 1 + m.tick + m.gap + m.ch + 2 * m.gap, spec.x.label, { scale: m.s, align: 'center' });
  }
  if (spec.y.label !== '') {
    drawText(img, m.pad, top + plotH / 2, spec.y.label, { scale: m.s, rotate90: true, baseline: 'middle' });
  }
  if (spec.colorbarLabel !== '') {
    drawText(img, width - m.pad, top + plotH / 2, spec.colorbarLabel, { scale: m.s, rotate90: cbLabelRotated, align: 'right', baseline: 'middle' });
  }
  if (title !== '') drawTitle(img, title, left + plotW / 2, m);

  return {
    width, height, data: img.data,
    plot: { x: left, y: top, width: plotW, height: plotH, xMin: xExt.lo, xMax: xExt.hi, yMin: yExt.lo, yMax: yExt.hi, logY: false },
    colorbar: { ...cb, vmin, vmax },
  };
}

/** Bold title centred on `cx`, kept inside the image. */
export function drawTitle(img: Image, title: string, cx: number, m: Metrics): void {
  const size = measureText(title, { scale: m.s, bold: true });
  const x = Math.max(m.pad, Math.min(img.width - m.pad - size.width, Math.round(cx - size.width / 2)));
  drawText(img, x, m.pad, title, { scale: m.s, bold: true });
}
