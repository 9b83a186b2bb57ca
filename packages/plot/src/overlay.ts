// Lines drawn over a finished figure in data coordinates (e.g. a tracked ridge on a spectrogram).
import { packColor, type Color } from './color.js';
import { compositeMask, createMask, strokePolyline } from './draw.js';
import type { Figure, NumberList } from './figure.js';
import { show } from './validate.js';

/** Options of {@link overlayLine} (a line over a figure, e.g. a tracked ridge): colour and width in pixels. */
export interface OverlayOptions {
  /** Default '#00e5ff' (cyan, visible on magma / viridis). */
  color?: Color;
  /** Line width in pixels, default 1.5. */
  lineWidth?: number;
  /** Dashed line. */
  dashed?: boolean;
}

/**
 * Draws the polyline (x[i], y[i]) in the figure's data units (seconds and Hz on a spectrogram) over its plot area,
 * clipped to it; a NaN point breaks the line. Modifies `figure` in place and returns it.
 */
export function overlayLine(figure: Figure, x: NumberList, y: NumberList, options: OverlayOptions = {}): Figure {
  const fn = 'overlayLine';
  const xs = toList(fn, 'x', x);
  const ys = toList(fn, 'y', y);
  const n = xs.length;
  if (ys.length !== n) throw new RangeError(`${fn}: y.length = ${ys.length} but x.length = ${n}. Fix: pass one y per x`);
  const lineWidth = options.lineWidth ?? 1.5;
  if (typeof lineWidth !== 'number' || !(lineWidth > 0) || lineWidth > 20) throw new RangeError(`${fn}: options.lineWidth = ${show(lineWidth)} must be in (0, 20]. Fix: pass e.g. 1.5`);
  const rgb = packColor(options.color ?? '#00e5ff', `${fn}: options.color`);
  const p = figure.plot;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const sx = p.width / (p.xMax - p.xMin);
  const ly = (v: number) => (p.logY ? Math.log10(v) : v);
  const y0 = ly(p.yMin);
  const sy = p.height / (ly(p.yMax) - y0);
  for (let i = 0; i < n; i++) {
    px[i] = p.x + (xs[i] - p.xMin) * sx;
    py[i] = p.y + p.height - (ly(ys[i]) - y0) * sy;
  }
  const mask = createMask(p.x, p.y, p.width, p.height); // clips to the plot area
  const dash = options.dashed ? 6 : 0;
  strokePolyline(mask, px, py, lineWidth, dash, dash);
  compositeMask(figure, mask, rgb);
  return figure;
}

function toList(fn: string, name: string, v: unknown): ArrayLike<number> {
  if (!(Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array)) {
    throw new TypeError(`${fn}: ${name} must be an array of numbers or a Float64Array (got ${show(v)}). Fix: pass the points' ${name} values`);
  }
  return v as ArrayLike<number>;
}
