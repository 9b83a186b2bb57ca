import { describe, expect, it } from 'vitest';
import { createImage, type Image } from './image.js';
import { drawText, FONT_CHARS, GLYPH_HEIGHT, GLYPH_WIDTH, measureText, type TextOptions } from './text.js';

/** Bounding box of the non-white pixels, or null. */
function inked(img: Image): { x0: number; y0: number; x1: number; y1: number; count: number } | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, count = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] !== 255 || img.data[i + 1] !== 255 || img.data[i + 2] !== 255) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); count++;
      }
    }
  }
  return count === 0 ? null : { x0, y0, x1, y1, count };
}

describe('measureText', () => {
  it('is 6×13 px per character times the scale, lines stacked, swapped when rotated', () => {
    expect(GLYPH_WIDTH).toBe(6);
    expect(GLYPH_HEIGHT).toBe(13);
    expect(measureText('Hz')).toEqual({ width: 12, height: 13 });
    expect(measureText('Hz', { scale: 3 })).toEqual({ width: 36, height: 39 });
    expect(measureText('θ (samples)\nλ', { rotate90: true })).toEqual({ width: 26, height: 66 });
    expect(measureText('ab', { bold: true, scale: 2 })).toEqual({ width: 26, height: 26 });
    expect(measureText('')).toEqual({ width: 0, height: 13 });
    expect(measureText('😀x').width).toBe(12); // a surrogate pair is one character
  });
});

describe('drawText', () => {
  const cases: [string, TextOptions][] = [
    ['Frequency (Hz)', {}],
    ['θ Δλ ° ² µ × −1', { scale: 2 }],
    ['gjpqy|_', { align: 'center', baseline: 'middle' }],
    ['Time (s)', { rotate90: true, align: 'right', baseline: 'bottom' }],
    ['−80 dB', { bold: true, scale: 3, rotate90: true }],
    ['two\nlines Q', { scale: 2, align: 'right' }],
    [FONT_CHARS, {}],
  ];
  for (const [text, opts] of cases) {
    it(`draws ${JSON.stringify(text.slice(0, 16))} ${JSON.stringify(opts)} only inside its measured box`, () => {
      const img = createImage(1400, 400);
      const box = drawText(img, 700, 200, text, { color: '#000', ...opts });
      expect({ width: box.width, height: box.height }).toEqual(measureText(text, opts));
      const ink = inked(img)!;
      expect(ink.count).toBeGreaterThan(10);
      expect(ink.x0).toBeGreaterThanOrEqual(box.x);
      expect(ink.y0).toBeGreaterThanOrEqual(box.y);
      expect(ink.x1).toBeLessThan(box.x + box.width);
      expect(ink.y1).toBeLessThan(box.y + box.height);
    });
  }

  it('anchors the box by align and baseline', () => {
    const img = createImage(100, 100);
    expect(drawText(img, 50, 50, 'abcd', { align: 'center', baseline: 'middle' })).toEqual({ x: 38, y: 44, width: 24, height: 13 });
    expect(drawText(img, 50, 50, 'abcd', { align: 'right', baseline: 'bottom' })).toEqual({ x: 26, y: 37, width: 24, height: 13 });
  });

  it('gives every character of the font a visible glyph, and others the replacement glyph', () => {
    for (const ch of FONT_CHARS) {
      if (ch === ' ') continue;
      const img = createImage(8, 14);
      drawText(img, 0, 0, ch);
      expect(inked(img), `glyph ${JSON.stringify(ch)}`).not.toBeNull();
    }
    const a = createImage(8, 14);
    const b = createImage(8, 14);
    drawText(a, 0, 0, '☃');
    drawText(b, 0, 0, '\ufffd');
    expect(a.data).toEqual(b.data);
  });

  it('rotates counter-clockwise: the rotated drawing is the transpose, flipped vertically', () => {
    const flat = createImage(30, 13);
    const rot = createImage(13, 30);
    drawText(flat, 0, 0, 'Hz1');
    drawText(rot, 0, 0, 'Hz1', { rotate90: true });
    for (let y = 0; y < 13; y++) {
      for (let x = 0; x < 18; x++) expect(rot.data[((17 - x) * 13 + y) * 4]).toBe(flat.data[(y * 30 + x) * 4]);
    }
  });

  it('clips at the image border and uses the colour', () => {
    const img = createImage(10, 10);
    drawText(img, -3, -5, 'WW', { color: [200, 0, 0] });
    expect(inked(img)!.count).toBeGreaterThan(0);
    const colours = new Set<string>();
    for (let i = 0; i < img.data.length; i += 4) colours.add(img.data.subarray(i, i + 4).join(','));
    expect([...colours].sort()).toEqual(['200,0,0,255', '255,255,255,255']);
  });

  it('rejects bad arguments', () => {
    const img = createImage(10, 10);
    expect(() => drawText(img, 0, 0, 'a', { scale: 0 })).toThrow(/options.scale = 0/);
    expect(() => drawText(img, 0, 0, 'a', { align: 'middle' as 'left' })).toThrow(/options.align = "middle"/);
    expect(() => drawText(img, NaN, 0, 'a')).toThrow(RangeError);
    expect(() => drawText(img, 0, 0, 5 as unknown as string)).toThrow(TypeError);
    expect(() => drawText(img, 0, 0, 'a', { color: 'black' })).toThrow(/"black" is not a colour/);
  });
});
