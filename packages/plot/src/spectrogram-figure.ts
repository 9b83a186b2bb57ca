// A spectrogram as a publication figure: dB colour scale, time and frequency axes, colour bar, title.
import type { Figure } from './figure.js';
import { checkOptions } from './figure.js';
import { heatmapFigure } from './heatmap.js';
import { type HeatmapOptions, resolveHeatmapOptions } from './heatmap-options.js';
import { checkFinite, checkInt, checkSamples, checkString, show } from './validate.js';

/**
 * Options of {@link spectrogramFigure}: the spectrogram's shape (bins × frames), the power it was computed with, the
 * dynamic range (dB) and the top of the colour scale.
 */
export interface SpectrogramFigureOptions extends HeatmapOptions {
  /** Number of frequency bins (rows of S), e.g. nFft/2 + 1. */
  freqs: number;
  /** Number of frames (columns of S). */
  frames: number;
  /** S holds magnitudes |X| (1, default: dB = 20·log10) or powers |X|² (2: dB = 10·log10). */
  power?: 1 | 2;
  /** Decibels shown below `vmax` (default 80); lower values get the colormap's bottom colour. */
  dynamicRange?: number;
  /** Top of the colour scale in dB (default: the maximum of S in dB). */
  vmax?: number;
}

/**
 * Draws the spectrogram `S` (row-major [freqs][frames]: `S[k·frames + n]` = bin k of frame n; Float64Array or
 * Float32Array) with low frequencies at the bottom. The figure is at most `maxWidth` × `maxHeight`: when the data
 * has more frames than the plot has columns (or more bins than rows), each pixel shows the maximum of the cells it
 * covers (so short events stay visible) at O(pixels) memory. Frames at non-uniform `times` are drawn at their times.
 * Zero magnitudes take the bottom colour, NaN cells `nanColor`. Defaults: colormap 'magma', colour bar label 'dB'.
 */
export function spectrogramFigure(S: Float64Array | Float32Array, options: SpectrogramFigureOptions): Figure {
  const fn = 'spectrogramFigure';
  const o = checkOptions<SpectrogramFigureOptions>(fn, options);
  const shapeFix = 'Fix: pass options.freqs and options.frames, the shape of S as [freqs][frames]';
  const freqs = checkInt(fn, 'options.freqs', o.freqs, 1, shapeFix);
  const frames = checkInt(fn, 'options.frames', o.frames, 1, shapeFix);
  const values = checkSamples(fn, 'S', S, freqs * frames, `[freqs = ${freqs}][frames = ${frames}]`);
  const power = o.power ?? 1;
  if (power !== 1 && power !== 2) {
    throw new RangeError(`${fn}: options.power = ${show(power)} must be 1 (magnitudes, 20·log10) or 2 (powers, 10·log10). Fix: pass 1 or 2`);
  }
  const dynamicRange = checkFinite(fn, 'options.dynamicRange', o.dynamicRange ?? 80, 'Fix: pass a positive number of dB, e.g. 80', 0);
  const vmax = o.vmax === undefined ? undefined : checkFinite(fn, 'options.vmax', o.vmax, 'Fix: pass the top of the colour scale in dB');
  const r = resolveHeatmapOptions(fn, o, freqs, frames, 'magma');
  return heatmapFigure({
    fn, values, rows: freqs, cols: frames, ...r,
    scale: { kind: 'db', factor: power === 1 ? 20 : 10, dynamicRange, vmax },
    colorbarLabel: o.colorbarLabel === undefined ? 'dB' : checkString(fn, 'options.colorbarLabel', o.colorbarLabel),
    maxPlotHeight: Infinity,
  });
}
