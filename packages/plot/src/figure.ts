// Types and option checks shared by the figure functions.
import type { Color } from './color.js';
import type { Image } from './image.js';
import { show } from './validate.js';

/** A list of numbers: a plain array or a float typed array. */
export type NumberList = readonly number[] | Float64Array | Float32Array;

/** Where the data area of a figure is, and the value range it shows (for mapping pixels back to data). */
export interface PlotArea {
  /** Left column of the data area (the frame is drawn just outside it). */
  x: number;
  /** Top row of the data area. */
  y: number;
  width: number;
  height: number;
  /** Value at the left edge of column `x` and at the right edge of column `x + width - 1`. */
  xMin: number;
  xMax: number;
  /** Value at the bottom edge of the bottom row and at the top edge of row `y`. */
  yMin: number;
  yMax: number;
  /** The y axis is logarithmic (line figures with `logY`). */
  logY: boolean;
}

/** The colour bar of a heatmap figure: its rectangle and the values of its bottom and top ends. */
export interface ColorbarArea {
  x: number;
  y: number;
  width: number;
  height: number;
  vmin: number;
  vmax: number;
}

/** An Image returned by a figure function, with where its parts are. */
export interface Figure extends Image {
  plot: PlotArea;
  colorbar: ColorbarArea | null;
}

/** Options every figure takes. */
export interface FigureOptions {
  /** Drawn centred above the plot, in bold; '' for none. */
  title?: string;
  /** Text scale (whole pixels), 1–4: 1 draws 6×13 px characters. Default 1. */
  fontScale?: number;
  /** Default white. */
  background?: Color;
}

export function checkFontScale(fn: string, value: unknown): number {
  const s = value ?? 1;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 4) {
    throw new RangeError(`${fn}: options.fontScale = ${show(s)} must be an integer in 1–4. Fix: pass 1 (default) or 2 for large figures`);
  }
  return s;
}

export function checkOptions<T extends object>(fn: string, options: unknown): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object (got ${show(options)}). Fix: pass { … } or nothing`);
  }
  return options as T;
}
