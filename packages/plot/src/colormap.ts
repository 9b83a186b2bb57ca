// Colormaps as 256-entry RGB lookup tables (LUTs). The built-in perceptual maps are matplotlib's published tables
// (see colormap-data.ts for the source and licence); 'gray' is the linear ramp 0 → 255.
import { type Color, packColor } from './color.js';
import { INFERNO_HEX, MAGMA_HEX, VIRIDIS_HEX } from './colormap-data.js';
import { checkString, show } from './validate.js';

/** Names of the built-in colormaps. */
export type ColormapName = 'viridis' | 'magma' | 'inferno' | 'gray';

/** The built-in colormap names, in documentation order. */
export const COLORMAP_NAMES: readonly ColormapName[] = ['viridis', 'magma', 'inferno', 'gray'];

/** A colormap: `lut[3·i + c]` is channel c (0 red, 1 green, 2 blue) of entry i; entry 0 is the lowest value. */
export interface Colormap {
  readonly name: string;
  /** 256 RGB entries (768 bytes). */
  readonly lut: Uint8Array;
}

const HEX_TABLES: Record<Exclude<ColormapName, 'gray'>, string> = {
  viridis: VIRIDIS_HEX,
  magma: MAGMA_HEX,
  inferno: INFERNO_HEX,
};

function decodeHex(hex: string): Uint8Array {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 768; i++) lut[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return lut;
}

/**
 * A built-in colormap by name, as a fresh 256-entry LUT (callers may modify it). A `Colormap` object passes through
 * after validation, so options accept either.
 */
export function colormap(name: ColormapName | Colormap): Colormap {
  if (typeof name === 'object' && name !== null) return checkColormap('colormap', 'name', name);
  if (name === 'gray') {
    const lut = new Uint8Array(768);
    for (let i = 0; i < 256; i++) lut[3 * i] = lut[3 * i + 1] = lut[3 * i + 2] = i;
    return { name, lut };
  }
  const hex = typeof name === 'string' && Object.hasOwn(HEX_TABLES, name) ? HEX_TABLES[name as keyof typeof HEX_TABLES] : undefined;
  if (hex === undefined) {
    throw new RangeError(`colormap: name = ${show(name)} is not a built-in colormap. Fix: use one of ${COLORMAP_NAMES.map((n) => `'${n}'`).join(', ')}, or build one with createColormap(name, stops)`);
  }
  return { name, lut: decodeHex(hex) };
}

/** Throws unless `cm` is a `Colormap` with a 768-byte LUT. */
export function checkColormap(fn: string, where: string, cm: unknown): Colormap {
  const c = cm as Colormap;
  if (typeof c !== 'object' || c === null || !(c.lut instanceof Uint8Array) || c.lut.length !== 768 || typeof c.name !== 'string') {
    throw new TypeError(`${fn}: ${where} must be a colormap name or { name, lut: Uint8Array(768) } (got ${show(cm)}). Fix: pass 'viridis', or createColormap(name, stops)`);
  }
  return c;
}

/**
 * A colormap that interpolates linearly (in sRGB) between evenly spaced colour stops: `stops[0]` at the lowest value,
 * the last stop at the highest. E.g. a diverging map: `createColormap('coolwarm', ['#3b4cc0', '#dddddd', '#b40426'])`.
 */
export function createColormap(name: string, stops: readonly Color[]): Colormap {
  checkString('createColormap', 'name', name);
  if (!Array.isArray(stops) || stops.length < 2) {
    throw new RangeError(`createColormap: stops must hold at least 2 colours (got ${show(stops)}). Fix: pass e.g. ['#000000', '#ffffff']`);
  }
  const packed = stops.map((s, i) => packColor(s, `createColormap: stops[${i}]`));
  const lut = new Uint8Array(768);
  const segs = packed.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segs;
    const k = Math.min(segs - 1, Math.floor(t));
    const f = t - k;
    const a = packed[k];
    const b = packed[k + 1];
    for (let c = 0; c < 3; c++) {
      const shift = 16 - 8 * c;
      const va = (a >> shift) & 255;
      const vb = (b >> shift) & 255;
      lut[3 * i + c] = Math.round(va + (vb - va) * f);
    }
  }
  return { name, lut };
}

/** Resolves a colormap option (name or object) for figure functions. */
export function resolveColormap(fn: string, value: unknown): Colormap {
  if (typeof value === 'object' && value !== null) return checkColormap(fn, 'options.colormap', value);
  if (typeof value !== 'string' || !(COLORMAP_NAMES as readonly string[]).includes(value)) {
    throw new RangeError(`${fn}: options.colormap = ${show(value)} is not a colormap. Fix: use one of ${COLORMAP_NAMES.map((n) => `'${n}'`).join(', ')}, or a Colormap from createColormap`);
  }
  return colormap(value as ColormapName);
}
