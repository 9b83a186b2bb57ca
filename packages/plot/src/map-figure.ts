// Maps of a real parameter over the time-frequency plane (θ maps): a linear colour scale with a colour bar.
import { unpackColor } from './color.js';
import { checkOptions, type Figure } from './figure.js';
import { heatmapFigure } from './heatmap.js';
import { type HeatmapOptions, resolveHeatmapOptions } from './heatmap-options.js';
import { lineFigure } from './line-figure.js';
import { checkEnum, checkFinite, checkInt, checkSamples, checkString } from './validate.js';

/**
 * Options of {@link mapFigure} (a heat map of any matrix, such as a θ map): the colour scale's limits and how a
 * single-row matrix is drawn.
 */
export interface MapFigureOptions extends HeatmapOptions {
  /** Bottom of the colour scale (default: the smallest finite value). */
  vmin?: number;
  /** Top of the colour scale (default: the largest finite value). */
  vmax?: number;
  /**
   * How a single row (rows = 1, e.g. a θ that varies only in time) is drawn: 'line' (default), a line plot of the
   * value versus time with `colorbarLabel` as its y label, which reads values far better than colour; or 'strip',
   * a heatmap 40 px (× fontScale) high with its colour bar and no y axis.
   */
  singleRow?: 'line' | 'strip';
}

/**
 * Draws `values` (row-major [rows][cols], Float64Array or Float32Array; row 0 at the bottom) on a linear colour
 * scale: e.g. a θ map with frequency bins as rows and frames as columns. Axes, aggregation (maximum of the cells a
 * pixel covers), NaN colour and size limits as in spectrogramFigure. Defaults: colormap 'viridis', colour bar label
 * 'θ (samples)'.
 */
export function mapFigure(values: Float64Array | Float32Array, rows: number, cols: number, options: MapFigureOptions = {}): Figure {
  const fn = 'mapFigure';
  const o = checkOptions<MapFigureOptions>(fn, options);
  const shapeFix = 'Fix: pass rows and cols, the shape of values as [rows][cols]';
  checkInt(fn, 'rows', rows, 1, shapeFix);
  checkInt(fn, 'cols', cols, 1, shapeFix);
  const v = checkSamples(fn, 'values', values, rows * cols, `[rows = ${rows}][cols = ${cols}]`);
  const vmin = o.vmin === undefined ? undefined : checkFinite(fn, 'options.vmin', o.vmin, 'Fix: pass the bottom of the colour scale');
  const vmax = o.vmax === undefined ? undefined : checkFinite(fn, 'options.vmax', o.vmax, 'Fix: pass the top of the colour scale');
  const singleRow = checkEnum(fn, 'options.singleRow', o.singleRow ?? 'line', ['line', 'strip'] as const);
  const r = resolveHeatmapOptions(fn, o, rows, cols, 'viridis');
  const colorbarLabel = o.colorbarLabel === undefined ? 'θ (samples)' : checkString(fn, 'options.colorbarLabel', o.colorbarLabel);
  if (rows === 1 && singleRow === 'line') {
    const range: [number, number] | undefined = vmin !== undefined && vmax !== undefined ? [vmin, vmax] : undefined;
    const fig = lineFigure([{ x: r.x.centres, y: v, color: '#1f77b4' }], {
      title: r.title, xLabel: r.x.label, yLabel: colorbarLabel, width: r.maxWidth, height: Math.min(r.maxHeight, 400),
      fontScale: r.fontScale, legend: 'none', ...(range ? { yRange: range } : {}),
      background: unpackColor(r.background),
    });
    return fig;
  }
  if (rows === 1 && o.yLabel === undefined) r.y.label = ''; // a strip: no y axis
  return heatmapFigure({
    fn, values: v, rows, cols, ...r,
    scale: { kind: 'linear', vmin, vmax },
    colorbarLabel,
    maxPlotHeight: rows === 1 ? 40 * r.fontScale : Infinity,
  });
}
