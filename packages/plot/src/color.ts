// Colours: `[r, g, b]` (integers 0–255) or css hex strings ('#rgb', '#rrggbb'). Internally a colour is one packed
// integer 0xRRGGBB, parsed once per call so that pixel loops never allocate.
import { show } from './validate.js';

/** An opaque colour: `[r, g, b]` with integers in 0–255, or a css hex string such as `'#1f77b4'` or `'#fff'`. */
export type Color = readonly [r: number, g: number, b: number] | string;

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Packs a colour into 0xRRGGBB; `where` names the parameter in the error. */
export function packColor(color: unknown, where: string): number {
  if (typeof color === 'string') {
    if (!HEX.test(color)) {
      throw new TypeError(`${where} = ${show(color)} is not a colour. Fix: pass a css hex string like '#1f77b4' or '#fff', or [r, g, b]`);
    }
    const h = color.length === 4 ? color[1] + color[1] + color[2] + color[2] + color[3] + color[3] : color.slice(1);
    return parseInt(h, 16);
  }
  if (Array.isArray(color) && color.length === 3) {
    let packed = 0;
    for (let i = 0; i < 3; i++) {
      const c: unknown = color[i];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 255) {
        throw new RangeError(`${where}[${i}] = ${show(c)} is not a colour channel. Fix: use integers 0–255 in [r, g, b]`);
      }
      packed = (packed << 8) | c;
    }
    return packed;
  }
  throw new TypeError(`${where} = ${show(color)} is not a colour. Fix: pass [r, g, b] (integers 0–255) or a css hex string like '#1f77b4'`);
}

/** Parses a colour to `[r, g, b]`. */
export function parseColor(color: Color): [number, number, number] {
  const p = packColor(color, 'parseColor: color');
  return [(p >> 16) & 255, (p >> 8) & 255, p & 255];
}

/** matplotlib's 'tab10' cycle, the default colours of line series. */
export const DEFAULT_LINE_COLORS: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The `[r, g, b]` of a packed 0xRRGGBB colour. */
export function unpackColor(rgb: number): [number, number, number] {
  return [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
}
