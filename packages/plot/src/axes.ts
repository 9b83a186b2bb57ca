// Axis layout and drawing shared by the figures (internal). Coordinates: a value v maps to the continuous position
// rect.x + frac(v)·rect.width (x) or rect.y + (1 - frac(v))·rect.height (y), so the range's ends are the plot's outer
// edges; a tick is drawn on the pixel containing that position.
import { fillRectPacked, type Image } from './image.js';
import { drawText, measureText } from './text.js';
import { formatTicks, logTicks, niceTicks } from './ticks.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AxisRange {
  lo: number;
  hi: number;
  log: boolean;
}

export interface AxisTicks {
  values: number[];
  labels: string[];
}

/** Text and spacing sizes of a figure drawn with font scale s. */
export interface Metrics {
  s: number;
  /** Line height of text. */
  ch: number;
  tick: number;
  gap: number;
  pad: number;
}

export function metrics(s: number): Metrics {
  return { s, ch: 13 * s, tick: 5 * s, gap: 4 * s, pad: 10 * s };
}

export const INK = 0x000000;
export const GRID = 0xe6e6e6;

/** Fraction of the axis (0 at lo, 1 at hi) of value v. */
export function fraction(a: AxisRange, v: number): number {
  if (a.log) return (Math.log10(v) - Math.log10(a.lo)) / (Math.log10(a.hi) - Math.log10(a.lo));
  return (v - a.lo) / (a.hi - a.lo);
}

/** Pixel column (x) or row (y) of value v inside rect, clamped to the rect. */
export function pixelOf(rect: Rect, a: AxisRange, v: number, horizontal: boolean): number {
  const f = fraction(a, v);
  if (horizontal) return rect.x + Math.min(rect.width - 1, Math.max(0, Math.floor(f * rect.width)));
  return rect.y + Math.min(rect.height - 1, Math.max(0, Math.floor((1 - f) * rect.height)));
}

function ticksFor(a: AxisRange, maxTicks: number): AxisTicks {
  const values = (a.log ? logTicks(a.lo, a.hi, maxTicks) : niceTicks(a.lo, a.hi, maxTicks)).filter(
    (v) => v >= Math.min(a.lo, a.hi) - 1e-9 * Math.abs(a.hi - a.lo) && v <= Math.max(a.lo, a.hi) + 1e-9 * Math.abs(a.hi - a.lo),
  );
  return { values, labels: formatTicks(values, { log: a.log }) };
}

/**
 * Ticks for an axis `length` px long whose labels do not collide: as many as fit (at most 10), fewer if the labels
 * (widths along x, text height along y) would come closer than a few pixels.
 */
export function chooseTicks(a: AxisRange, length: number, horizontal: boolean, m: Metrics): AxisTicks {
  const span = horizontal ? 70 * m.s : 38 * m.s;
  let maxTicks = Math.max(2, Math.min(10, Math.floor(length / span) + 1));
  for (;;) {
    const t = ticksFor(a, maxTicks);
    if (maxTicks === 2 || t.values.length < 2) return t;
    let need = 0;
    for (const l of t.labels) need = Math.max(need, horizontal ? measureText(l, { scale: m.s }).width : m.ch);
    const spacing = (length * Math.abs(fraction(a, t.values[1]) - fraction(a, t.values[0])));
    if (spacing >= need + (horizontal ? 14 : 10) * m.s) return t;
    maxTicks--;
  }
}

/** Widest label, in pixels. */
export function labelWidth(t: AxisTicks, m: Metrics): number {
  let w = 0;
  for (const l of t.labels) w = Math.max(w, measureText(l, { scale: m.s }).width);
  return w;
}

/** 1-px frame just outside rect. */
export function drawFrame(img: Image, r: Rect, rgb: number): void {
  fillRectPacked(img, r.x - 1, r.y - 1, r.width + 2, 1, rgb);
  fillRectPacked(img, r.x - 1, r.y + r.height, r.width + 2, 1, rgb);
  fillRectPacked(img, r.x - 1, r.y, 1, r.height, rgb);
  fillRectPacked(img, r.x + r.width, r.y, 1, r.height, rgb);
}

/** Ticks and labels below rect (x axis). */
export function drawXAxis(img: Image, r: Rect, a: AxisRange, t: AxisTicks, m: Metrics): void {
  const y0 = r.y + r.height + 1;
  for (let i = 0; i < t.values.length; i++) {
    const x = pixelOf(r, a, t.values[i], true);
    fillRectPacked(img, x, y0, 1, m.tick, INK);
    drawText(img, x + 0.5, y0 + m.tick + m.gap, t.labels[i], { scale: m.s, align: 'center' });
  }
}

/** Ticks and labels on the left (or right) of rect (y axis). */
export function drawYAxis(img: Image, r: Rect, a: AxisRange, t: AxisTicks, m: Metrics, side: 'left' | 'right'): void {
  for (let i = 0; i < t.values.length; i++) {
    const y = pixelOf(r, a, t.values[i], false);
    if (side === 'left') {
      fillRectPacked(img, r.x - 1 - m.tick, y, m.tick, 1, INK);
      drawText(img, r.x - 1 - m.tick - m.gap, y + 0.5, t.labels[i], { scale: m.s, align: 'right', baseline: 'middle' });
    } else {
      fillRectPacked(img, r.x + r.width + 1, y, m.tick, 1, INK);
      drawText(img, r.x + r.width + 1 + m.tick + m.gap, y + 0.5, t.labels[i], { scale: m.s, baseline: 'middle' });
    }
  }
}

/** Light grid lines at the ticks inside rect (drawn before the data). */
export function drawGrid(img: Image, r: Rect, ax: AxisRange, tx: AxisTicks, ay: AxisRange, ty: AxisTicks): void {
  for (const v of tx.values) fillRectPacked(img, pixelOf(r, ax, v, true), r.y, 1, r.height, GRID);
  for (const v of ty.values) fillRectPacked(img, r.x, pixelOf(r, ay, v, false), r.width, 1, GRID);
}
