// Line plots (loss curves, θ versus iteration, a grid search with its chosen points) with axes, grid and legend.
import {
  type AxisRange, chooseTicks, drawFrame, drawGrid, drawXAxis, drawYAxis, fraction, GRID, INK, labelWidth, metrics, type Rect,
} from './axes.js';
import { type Color, DEFAULT_LINE_COLORS, packColor, unpackColor } from './color.js';
import { compositeMask, createMask, drawMarker, type MarkerShape, strokePolyline } from './draw.js';
import { checkFontScale, checkOptions, type Figure, type FigureOptions, type NumberList } from './figure.js';
import { drawTitle } from './heatmap.js';
import { createImage, fillRectPacked, type Image } from './image.js';
import { drawText, measureText } from './text.js';
import { checkEnum, checkFinite, checkInt, checkString, show, toFloat64 } from './validate.js';

export type { MarkerShape };

/** One series of a line figure. */
export interface LineSeries {
  x: NumberList;
  /** Same length as x. NaN (and, with logY, values ≤ 0) leave a gap. */
  y: NumberList;
  /** Shown in the legend; series without a label are left out of it. */
  label?: string;
  /** Default: matplotlib's tab10 cycle by series index. */
  color?: Color;
  dashed?: boolean;
  /** Marker at every point (default 'circle' if the figure's `markers` is true or `line` is false, else none). */
  marker?: MarkerShape | 'none';
  /** Join the points (default true); false with a marker gives a scatter (e.g. chosen points of a grid search). */
  line?: boolean;
  /** Stroke width in pixels (default 2 × fontScale). */
  lineWidth?: number;
}

/** Where a line figure's legend goes: a corner, `auto` (the corner hiding the fewest data pixels) or `none`. */
export type LegendPosition = 'auto' | 'upper right' | 'upper left' | 'lower left' | 'lower right' | 'none';

/** Options of {@link lineFigure}: axis labels, log y axis, size in pixels, markers, axis ranges, grid and legend. */
export interface LineFigureOptions extends FigureOptions {
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (ticks at powers of ten); points with y ≤ 0 are skipped. */
  logY?: boolean;
  /** Figure size in pixels (default 800 × 500). */
  width?: number;
  height?: number;
  /** Markers on every series that does not set its own `marker`. */
  markers?: boolean;
  /** Axis ranges (default: the data, y padded by 5 %, x by 3 % when markers are drawn). */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  /** Light grid lines at the ticks (default true). */
  grid?: boolean;
  /** Legend corner inside the plot; 'auto' (default) picks the corner where it hides the fewest drawn data pixels. */
  legend?: LegendPosition;
}

const LEGENDS: readonly LegendPosition[] = ['auto', 'upper right', 'upper left', 'lower left', 'lower right', 'none'];
const MARKERS: readonly (MarkerShape | 'none')[] = ['circle', 'square', 'diamond', 'none'];

interface Prepared {
  x: Float64Array;
  y: Float64Array;
  label: string;
  rgb: number;
  dashed: boolean;
  marker: MarkerShape | 'none';
  line: boolean;
  lineWidth: number;
}

function checkRange(fn: string, name: string, r: unknown, log: boolean): [number, number] | undefined {
  if (r === undefined) return undefined;
  if (!Array.isArray(r) || r.length !== 2) throw new TypeError(`${fn}: options.${name} must be [min, max] (got ${show(r)}). Fix: pass two numbers`);
  const lo = checkFinite(fn, `options.${name}[0]`, r[0], 'Fix: pass finite ends', log ? 0 : undefined);
  const hi = checkFinite(fn, `options.${name}[1]`, r[1], 'Fix: pass finite ends', log ? 0 : undefined);
  if (!(hi > lo)) throw new RangeError(`${fn}: options.${name} = [${lo}, ${hi}] must have min < max. Fix: swap or widen it`);
  return [lo, hi];
}

/** Data range of the points that can be drawn, padded by `pad` of its span (in log space for log). */
function dataRange(values: Float64Array[], log: boolean, pad: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (!Number.isFinite(x) || (log && x <= 0)) continue;
      const t = log ? Math.log10(x) : x;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (!(lo <= hi)) return log ? [1, 10] : [0, 1];
  if (lo === hi) {
    const d = log ? 0.5 : lo !== 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= d;
    hi += d;
  } else {
    const d = (hi - lo) * pad;
    lo -= d;
    hi += d;
  }
  return log ? [10 ** lo, 10 ** hi] : [lo, hi];
}

/**
 * Draws line series on shared axes with ticks, labels, a light grid and a legend (series with a `label`). Points
 * with NaN leave gaps. Lines are anti-aliased; markers are filled shapes of radius 3.5 × fontScale.
 */
export function lineFigure(series: readonly LineSeries[], options: LineFigureOptions = {}): Figure {
  const fn = 'lineFigure';
  const o = checkOptions<LineFigureOptions>(fn, options);
  if (!Array.isArray(series) || series.length === 0) {
    throw new TypeError(`${fn}: series must be a non-empty array of { x, y, label? } (got ${show(series)}). Fix: pass [{ x, y }]`);
  }
  const s = checkFontScale(fn, o.fontScale);
  const m = metrics(s);
  const logY = o.logY === true;
  const width = checkInt(fn, 'options.width', o.width ?? 800, 64, 'Fix: pass a width in pixels');
  const height = checkInt(fn, 'options.height', o.height ?? 500, 64, 'Fix: pass a height in pixels');
  const title = o.title === undefined ? '' : checkString(fn, 'options.title', o.title);
  const xLabel = o.xLabel === undefined ? '' : checkString(fn, 'options.xLabel', o.xLabel);
  const yLabel = o.yLabel === undefined ? '' : checkString(fn, 'options.yLabel', o.yLabel);
  const legend = checkEnum(fn, 'options.legend', o.legend ?? 'auto', LEGENDS);
  const background = packColor(o.background ?? '#ffffff', `${fn}: options.background`);

  const prepared: Prepared[] = series.map((sr, i) => {
    const w = `series[${i}]`;
    if (typeof sr !== 'object' || sr === null) throw new TypeError(`${fn}: ${w} must be { x, y, label? } (got ${show(sr)}). Fix: pass an object`);
    const x = toFloat64(fn, `${w}.x`, sr.x, null, false);
    const y = toFloat64(fn, `${w}.y`, sr.y, x.length, false, `entry of ${w}.x`);
    const line = sr.line ?? true;
    const marker = checkEnum(fn, `${w}.marker`, sr.marker ?? (o.markers === true || !line ? 'circle' : 'none'), MARKERS);
    const lineWidth = sr.lineWidth === undefined ? 2 * s : checkFinite(fn, `${w}.lineWidth`, sr.lineWidth, 'Fix: pass a width in pixels', 0);
    return {
      x, y, line, marker, lineWidth,
      label: sr.label === undefined ? '' : checkString(fn, `${w}.label`, sr.label),
      rgb: packColor(sr.color ?? DEFAULT_LINE_COLORS[i % DEFAULT_LINE_COLORS.length], `${fn}: ${w}.color`),
      dashed: sr.dashed === true,
    };
  });
  const anyMarkers = prepared.some((p) => p.marker !== 'none');
  const [xlo, xhi] = checkRange(fn, 'xRange', o.xRange, false) ?? dataRange(prepared.map((p) => p.x), false, anyMarkers ? 0.03 : 0);
  const [ylo, yhi] = checkRange(fn, 'yRange', o.yRange, logY) ?? dataRange(prepared.map((p) => p.y), logY, 0.05);
  const xAxis: AxisRange = { lo: xlo, hi: xhi, log: false };
  const yAxis: AxisRange = { lo: ylo, hi: yhi, log: logY };

  const titleH = measureText(title, { scale: s, bold: true }).height;
  const top = m.pad + (title !== '' ? titleH + 2 * m.gap : Math.ceil(m.ch / 2));
  const bottom = 1 + m.tick + m.gap + m.ch + (xLabel !== '' ? 2 * m.gap + m.ch : 0) + m.pad;
  const plotH = height - top - bottom;
  const yTicks = chooseTicks(yAxis, Math.max(plotH, 1), false, m);
  const left = m.pad + (yLabel !== '' ? m.ch + 2 * m.gap : 0) + labelWidth(yTicks, m) + m.gap + m.tick + 1;
  // Room on the right for half of the last x label: estimate with a provisional width, then fix the ticks.
  let xTicks = chooseTicks(xAxis, Math.max(width - left - 2 * m.pad, 1), true, m);
  const right = Math.max(m.pad, Math.ceil(labelWidth(xTicks, m) / 2) + m.gap);
  const plotW = width - left - right;
  if (plotW < 32 || plotH < 32) {
    throw new RangeError(`${fn}: a ${width}×${height} figure leaves a ${plotW}×${plotH} px plot. Fix: pass at least width ${left + right + 64}, height ${top + bottom + 64}`);
  }
  xTicks = chooseTicks(xAxis, plotW, true, m);

  const img = createImage(width, height, unpackColor(background));
  const rect: Rect = { x: left, y: top, width: plotW, height: plotH };
  if (o.grid !== false) drawGrid(img, rect, xAxis, xTicks, yAxis, yTicks);

  // Data → continuous pixel coordinates; unusable points become NaN (gaps).
  const mask = createMask(rect.x, rect.y, rect.width, rect.height);
  const toPx = (p: Prepared): { px: Float64Array; py: Float64Array } => {
    const px = new Float64Array(p.x.length);
    const py = new Float64Array(p.x.length);
    for (let i = 0; i < px.length; i++) {
      const xv = p.x[i];
      const yv = p.y[i];
      if (!Number.isFinite(xv) || !Number.isFinite(yv) || (logY && yv <= 0)) {
        px[i] = py[i] = NaN;
        continue;
      }
      px[i] = rect.x + fraction(xAxis, xv) * rect.width;
      py[i] = rect.y + (1 - fraction(yAxis, yv)) * rect.height;
    }
    return { px, py };
  };
  for (const p of prepared) {
    const pts = toPx(p);
    if (p.line) {
      strokePolyline(mask, pts.px, pts.py, p.lineWidth, p.dashed ? 6 * s : 0, p.dashed ? 4 * s : 0);
      compositeMask(img, mask, p.rgb);
    }
    if (p.marker !== 'none') {
      for (let i = 0; i < pts.px.length; i++) {
        if (pts.px[i] === pts.px[i]) {
          drawMarker(img, p.marker, pts.px[i], pts.py[i], 3.5 * s, p.rgb, rect.x, rect.y, rect.x + rect.width, rect.y + rect.height);
        }
      }
    }
  }

  drawFrame(img, rect, INK);
  drawXAxis(img, rect, xAxis, xTicks, m);
  drawYAxis(img, rect, yAxis, yTicks, m, 'left');
  if (xLabel !== '') drawText(img, left + plotW / 2, top + plotH + 1 + m.tick + m.gap + m.ch + 2 * m.gap, xLabel, { scale: s, align: 'center' });
  if (yLabel !== '') drawText(img, m.pad, top + plotH / 2, yLabel, { scale: s, rotate90: true, baseline: 'middle' });
  if (title !== '') drawTitle(img, title, left + plotW / 2, m);

  const entries = prepared.filter((p) => p.label !== '');
  if (legend !== 'none' && entries.length > 0) drawLegend(img, rect, entries, legend, m.s, background);

  return {
    width, height, data: img.data,
    plot: { x: left, y: top, width: plotW, height: plotH, xMin: xlo, xMax: xhi, yMin: ylo, yMax: yhi, logY },
    colorbar: null,
  };
}

function drawLegend(img: Image, rect: Rect, entries: Prepared[], position: LegendPosition, s: number, background: number): void {
  const m = metrics(s);
  const sample = 24 * s;
  const rowH = m.ch + 3 * s;
  let textW = 0;
  for (const e of entries) textW = Math.max(textW, measureText(e.label, { scale: s }).width);
  const w = m.gap * 2 + sample + m.gap * 2 + textW + m.gap * 2;
  const h = rowH * entries.length + m.gap * 2 - 3 * s;
  const inset = 8 * s;
  const corners: Exclude<LegendPosition, 'auto' | 'none'>[] = ['upper right', 'upper left', 'lower left', 'lower right'];
  const place = (c: string): { x: number; y: number } => ({
    x: c.endsWith('right') ? rect.x + rect.width - inset - w : rect.x + inset,
    y: c.startsWith('upper') ? rect.y + inset : rect.y + rect.height - inset - h,
  });
  // 'auto': the corner whose box covers the fewest drawn data pixels (anything but background and grid).
  let chosen = position === 'auto' ? corners[0] : position;
  if (position === 'auto') {
    let best = Infinity;
    for (const c of corners) {
      const { x, y } = place(c);
      let n = 0;
      for (let yy = y; yy < y + h; yy++) {
        for (let xx = x; xx < x + w; xx++) {
          const i = (yy * img.width + xx) * 4;
          const rgb = (img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2];
          if (rgb !== background && rgb !== GRID) n++;
        }
      }
      if (n < best) {
        best = n;
        chosen = c;
      }
    }
  }
  const { x, y } = place(chosen);
  fillRectPacked(img, x, y, w, h, 0xffffff);
  drawFrame(img, { x: x + 1, y: y + 1, width: w - 2, height: h - 2 }, 0xbfbfbf);
  const mask = createMask(x, y, w, h);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const cy = y + m.gap + i * rowH + m.ch / 2;
    const x0 = x + m.gap * 2;
    if (e.line) {
      strokePolyline(mask, Float64Array.of(x0, x0 + sample), Float64Array.of(cy, cy), e.lineWidth, e.dashed ? 6 * s : 0, e.dashed ? 4 * s : 0);
      compositeMask(img, mask, e.rgb);
    }
    if (e.marker !== 'none') drawMarker(img, e.marker, x0 + sample / 2, cy, 3.5 * s, e.rgb, x, y, x + w, y + h);
    drawText(img, x0 + sample + m.gap * 2, cy, e.label, { scale: s, baseline: 'middle' });
  }
}
