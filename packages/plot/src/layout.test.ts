import { describe, expect, it } from 'vitest';
import { createImage, fillRect } from './image.js';
import { hstack, vstack, withTitle } from './layout.js';
import { pixel } from './rng.test-support.js';

describe('layout', () => {
  const a = createImage(3, 2, '#ff0000');
  const b = createImage(2, 4, '#0000ff');

  it('hstack places images left to right with a gap', () => {
    const h = hstack([a, b], { gap: 1, background: '#00ff00' });
    expect([h.width, h.height]).toEqual([6, 4]);
    expect(pixel(h, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(h, 3, 0)).toEqual([0, 255, 0, 255]); // gap
    expect(pixel(h, 4, 3)).toEqual([0, 0, 255, 255]);
    expect(pixel(h, 0, 3)).toEqual([0, 255, 0, 255]); // below the shorter image
    const c = hstack([a, b], { align: 'end' });
    expect(pixel(c, 0, 3)).toEqual([255, 0, 0, 255]);
  });

  it('vstack places images top to bottom, centred when asked', () => {
    const v = vstack([a, b], { align: 'center' });
    expect([v.width, v.height]).toEqual([3, 6]);
    expect(pixel(v, 0, 2)).toEqual([0, 0, 255, 255]);
    expect(pixel(v, 2, 2)).toEqual([255, 255, 255, 255]);
  });

  it('withTitle adds a band with the text above', () => {
    const img = createImage(200, 50, '#cccccc');
    fillRect(img, 0, 0, 1, 1, '#000');
    const t = withTitle(img, 'Title', { scale: 2, padding: 4 });
    expect([t.width, t.height]).toEqual([200, 50 + 26 + 8]);
    expect(pixel(t, 0, 34)).toEqual([0, 0, 0, 255]);
    let dark = 0;
    for (let y = 0; y < 34; y++) for (let x = 0; x < 200; x++) if (pixel(t, x, y)[0] === 0) dark++;
    expect(dark).toBeGreaterThan(20);
  });

  it('rejects bad input', () => {
    expect(() => hstack([])).toThrow(/non-empty array/);
    expect(() => vstack([a, { width: 1, height: 1, data: new Uint8ClampedArray(3) }])).toThrow(/images\[1\]\.data.length = 3/);
    expect(() => hstack([a], { gap: -1 })).toThrow(/options.gap must be ≥ 0/);
  });
});

describe('createImage', () => {
  it('fills with the background and validates sizes', () => {
    const img = createImage(5, 3, [1, 2, 3]);
    for (let i = 0; i < 15; i++) expect([...img.data.subarray(4 * i, 4 * i + 4)]).toEqual([1, 2, 3, 255]);
    expect(pixel(createImage(2, 2, '#abc'), 1, 1)).toEqual([0xaa, 0xbb, 0xcc, 255]);
    expect(() => createImage(0, 3)).toThrow(/width must be ≥ 1/);
    expect(() => createImage(2.5, 3)).toThrow(TypeError);
    expect(() => createImage(1 << 15, 1 << 14)).toThrow(/exceeds/);
  });
});
