// Text with the built-in bitmap font (X11 misc-fixed 6×13, public domain; see font-data.ts): printable ASCII plus
// the symbols in EXTRA_CHARS (θ Δ λ ° ² µ × − and a few more Greek letters and maths signs). Other characters draw
// as '�'. Glyphs are scaled by whole pixels (crisp, no smoothing); '\n' starts a new line.
import { type Color, packColor } from './color.js';
import { EXTRA_CHARS, GLYPH_BITS, GLYPH_HEIGHT, GLYPH_WIDTH } from './font-data.js';
import { checkImage, type Image } from './image.js';
import { checkEnum, show } from './validate.js';

export { GLYPH_HEIGHT, GLYPH_WIDTH };

/** Characters the font draws (anything else draws as '�'). */
export const FONT_CHARS: string = (() => {
  let s = '';
  for (let c = 32; c < 127; c++) s += String.fromCharCode(c);
  return s + EXTRA_CHARS;
})();

/** How text is drawn with the built-in bitmap font: scale and rotation. */
export interface TextStyle {
  /** Whole-pixel magnification, 1–16 (default 1: 6×13 px per character). */
  scale?: number;
  /** Draw the text rotated 90° counter-clockwise (reading bottom to top, as y-axis labels). Default false. */
  rotate90?: boolean;
  /** Double-strike one pixel to the right (adds `scale` px to the width). Default false. */
  bold?: boolean;
}

/** Options of {@link drawText}: style, colour and horizontal anchor. */
export interface TextOptions extends TextStyle {
  /** Default black. */
  color?: Color;
  /** Where `x` is on the drawn box: its left edge (default), centre or right edge. */
  align?: 'left' | 'center' | 'right';
  /** Where `y` is on the drawn box: its top edge (default), middle or bottom edge. */
  baseline?: 'top' | 'middle' | 'bottom';
}

/** The box text occupies, in image pixels (after rotation). */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ALIGNS = ['left', 'center', 'right'] as const;
const BASELINES = ['top', 'middle', 'bottom'] as const;

let glyphs: Uint8Array | null = null;
let extraIndex: Map<number, number> | null = null;
const REPLACEMENT = 0xfffd;

/** Decoded bitmaps (13 bytes per glyph), built once. */
function glyphTable(): Uint8Array {
  if (glyphs === null) {
    const n = GLYPH_BITS.length / 2;
    const g = new Uint8Array(n);
    for (let i = 0; i < n; i++) g[i] = parseInt(GLYPH_BITS.slice(2 * i, 2 * i + 2), 16);
    const m = new Map<number, number>();
    for (let i = 0; i < EXTRA_CHARS.length; i++) m.set(EXTRA_CHARS.charCodeAt(i), 95 + i);
    glyphs = g;
    extraIndex = m;
  }
  return glyphs;
}

/** Glyph number of a code point (the replacement glyph for characters the font lacks). */
function glyphOf(code: number): number {
  if (code >= 32 && code < 127) return code - 32;
  if (code === 0x3bc) code = 0xb5; // Greek mu and micro sign look alike
  return extraIndex!.get(code) ?? extraIndex!.get(REPLACEMENT)!;
}

function checkStyle(fn: string, options: TextStyle): { scale: number; rotate: boolean; bold: boolean } {
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 1 || scale > 16) {
    throw new RangeError(`${fn}: options.scale = ${show(scale)} must be an integer in 1–16. Fix: pass e.g. scale: 2`);
  }
  return { scale, rotate: options.rotate90 === true, bold: options.bold === true };
}

/** Number of characters (code points) of the longest line and the number of lines. */
function textExtent(text: string): { cols: number; lines: number } {
  let cols = 0;
  let lines = 1;
  let cur = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines++;
      cur = 0;
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) i++; // a surrogate pair is one character
    cur++;
    if (cur > cols) cols = cur;
  }
  return { cols, lines };
}

/** Size of the box `drawText` fills for `text`: `{ width, height }` in pixels (swapped when rotated). */
export function measureText(text: string, options: TextStyle = {}): { width: number; height: number } {
  if (typeof text !== 'string') throw new TypeError(`measureText: text must be a string (got ${show(text)}). Fix: pass String(value)`);
  const { scale, rotate, bold } = checkStyle('measureText', options);
  const { cols, lines } = textExtent(text);
  const w = cols === 0 ? 0 : cols * GLYPH_WIDTH * scale + (bold ? scale : 0);
  const h = lines * GLYPH_HEIGHT * scale;
  return rotate ? { width: h, height: w } : { width: w, height: h };
}

/**
 * Draws `text` at (x, y) (the anchor given by `align` and `baseline`) and returns the box it occupies. Every drawn
 * pixel lies inside that box, which has the size `measureText` gives; pixels outside the image are skipped.
 */
export function drawText(img: Image, x: number, y: number, text: string, options: TextOptions = {}): TextBox {
  checkImage('drawText', 'img', img);
  if (typeof text !== 'string') throw new TypeError(`drawText: text must be a string (got ${show(text)}). Fix: pass String(value)`);
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new RangeError(`drawText: x, y must be finite numbers (got ${show(x)}, ${show(y)}). Fix: pass pixel coordinates`);
  }
  const { scale, rotate, bold } = checkStyle('drawText', options);
  const align = checkEnum('drawText', 'options.align', options.align ?? 'left', ALIGNS);
  const baseline = checkEnum('drawText', 'options.baseline', options.baseline ?? 'top', BASELINES);
  const rgb = packColor(options.color ?? '#000000', 'drawText: options.color');
  const size = measureText(text, options);
  const bx = Math.round(align === 'left' ? x : align === 'center' ? x - size.width / 2 : x - size.width);
  const by = Math.round(baseline === 'top' ? y : baseline === 'middle' ? y - size.height / 2 : y - size.height);
  const table = glyphTable();
  const { width: W, height: H, data } = img;
  const r = rgb >> 16;
  const g = (rgb >> 8) & 255;
  const b = rgb & 255;
  const textW = rotate ? size.height : size.width; // unrotated extent along the text direction
  const strikes = bold ? 2 : 1;
  let line = 0;
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code === 10) {
      line++;
      col = 0;
      continue;
    }
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      i++;
      code = REPLACEMENT;
    }
    const base = glyphOf(code) * GLYPH_HEIGHT;
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      const bits = table[base + gy];
      if (bits === 0) continue;
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if ((bits & (0x80 >> gx)) === 0) continue;
        for (let s = 0; s < strikes; s++) {
          // Top-left of this font pixel in unrotated text coordinates (u along the text, v down).
          const u = (col * GLYPH_WIDTH + gx) * scale + s * scale;
          const v = (line * GLYPH_HEIGHT + gy) * scale;
          for (let dy = 0; dy < scale; dy++) {
            for (let dx = 0; dx < scale; dx++) {
              // Rotated 90° counter-clockwise: u runs up from the bottom, v runs right.
              const px = rotate ? bx + v + dy : bx + u + dx;
              const py = rotate ? by + textW - 1 - (u + dx) : by + v + dy;
              if (px < 0 || py < 0 || px >= W || py >= H) continue;
              const o = (py * W + px) * 4;
              data[o] = r;
              data[o + 1] = g;
              data[o + 2] = b;
              data[o + 3] = 255;
            }
          }
        }
      }
    }
    col++;
  }
  return { x: bx, y: by, width: size.width, height: size.height };
}
