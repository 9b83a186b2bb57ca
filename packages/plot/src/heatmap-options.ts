// Option handling shared by spectrogramFigure and mapFigure (internal): the two cell axes and the common options.
import { type Color, packColor } from './color.js';
import { type Colormap, type ColormapName, resolveColormap } from './colormap.js';
import { checkFontScale, type FigureOptions, type NumberList } from './figure.js';
import type { CellAxis } from './heatmap.js';
import { checkFinite, checkIncreasing, checkInt, checkString, toFloat64 } from './validate.js';

/** Axes and look of a heatmap figure (spectrogramFigure, mapFigure). */
export interface HeatmapOptions extends FigureOptions {
  /** Time of each frame (column), strictly increasing, e.g. learnable frame positions in seconds. Or use t0 + dt. */
  times?: NumberList;
  /** Time of frame 0 (default 0) when frames are uniform; with `dt`. */
  t0?: number;
  /** Time between frames (e.g. hop / sampleRate). Without `times` and `dt` the x axis counts frames. */
  dt?: number;
  /** Frequency of each bin (row), strictly increasing. Or use f0 + df. */
  frequencies?: NumberList;
  /** Frequency of bin 0 (default 0); with `df`. */
  f0?: number;
  /** Bin spacing (e.g. sampleRate / nFft). Without `frequencies` and `df` the y axis counts bins. */
  df?: number;
  /** Default 'Time (s)' (or 'Frame' when the x axis counts frames). '' for none. */
  xLabel?: string;
  /** Default 'Frequency (Hz)' (or 'Bin' when the y axis counts bins). '' for none. */
  yLabel?: string;
  /** Label of the colour bar. */
  colorbarLabel?: string;
  /** Default 'magma' for spectrograms, 'viridis' for maps. */
  colormap?: ColormapName | Colormap;
  /** Colour of NaN cells (default '#ff00ff', in none of the built-in colormaps). */
  nanColor?: Color;
  /** Largest figure width in pixels (default 1200). Wider data is aggregated. */
  maxWidth?: number;
  /** Largest figure height in pixels (default 600). Taller data is aggregated. */
  maxHeight?: number;
}

export interface ResolvedHeatmapOptions {
  x: CellAxis;
  y: CellAxis;
  cmap: Colormap;
  nanRgb: number;
  background: number;
  title: string;
  maxWidth: number;
  maxHeight: number;
  fontScale: number;
}

/** Cell centres from an explicit list or from start + step (or indices when neither is given). */
function axisCentres(
  fn: string, n: number, listName: string, list: unknown, startName: string, start: unknown, stepName: string, step: unknown,
): { centres: Float64Array; physical: boolean } {
  if (list !== undefined) {
    if (step !== undefined || start !== undefined) {
      throw new TypeError(`${fn}: pass options.${listName} or options.${startName}/${stepName}, not both. Fix: drop one of them`);
    }
    const c = toFloat64(fn, `options.${listName}`, list, n, true, listName === 'times' ? 'frame (column of the data)' : 'bin (row of the data)');
    checkIncreasing(fn, `options.${listName}`, c, `Fix: give the ${listName} in increasing order (and the data in that order)`);
    return { centres: c, physical: true };
  }
  const s0 = start === undefined ? 0 : checkFinite(fn, `options.${startName}`, start, 'Fix: pass a finite number');
  const d = step === undefined ? 1 : checkFinite(fn, `options.${stepName}`, step, 'Fix: pass a positive spacing', 0);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = s0 + i * d;
  return { centres: c, physical: step !== undefined };
}

export function resolveHeatmapOptions(
  fn: string, o: HeatmapOptions, rows: number, cols: number, defaultColormap: ColormapName,
): ResolvedHeatmapOptions {
  const xs = axisCentres(fn, cols, 'times', o.times, 't0', o.t0, 'dt', o.dt);
  const ys = axisCentres(fn, rows, 'frequencies', o.frequencies, 'f0', o.f0, 'df', o.df);
  const xLabel = o.xLabel === undefined ? (xs.physical ? 'Time (s)' : 'Frame') : checkString(fn, 'options.xLabel', o.xLabel);
  const yLabel = o.yLabel === undefined ? (ys.physical ? 'Frequency (Hz)' : 'Bin') : checkString(fn, 'options.yLabel', o.yLabel);
  const sizeFix = 'Fix: pass a size in pixels';
  return {
    x: { centres: xs.centres, label: xLabel },
    y: { centres: ys.centres, label: yLabel },
    cmap: resolveColormap(fn, o.colormap ?? defaultColormap),
    nanRgb: packColor(o.nanColor ?? '#ff00ff', `${fn}: options.nanColor`),
    background: packColor(o.background ?? '#ffffff', `${fn}: options.background`),
    title: o.title === undefined ? '' : checkString(fn, 'options.title', o.title),
    maxWidth: checkInt(fn, 'options.maxWidth', o.maxWidth ?? 1200, 64, sizeFix),
    maxHeight: checkInt(fn, 'options.maxHeight', o.maxHeight ?? 600, 64, sizeFix),
    fontScale: checkFontScale(fn, o.fontScale),
  };
}
