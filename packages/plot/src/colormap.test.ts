import { describe, expect, it } from 'vitest';
import { colormap, COLORMAP_NAMES, createColormap } from './colormap.js';

const hex = (lut: Uint8Array, i: number) =>
  `#${[lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance (sRGB → linear, Rec. 709 weights). */
function luminance(lut: Uint8Array, i: number): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(lut[3 * i]) + 0.7152 * lin(lut[3 * i + 1]) + 0.0722 * lin(lut[3 * i + 2]);
}

describe('colormap', () => {
  it('has matplotlib’s endpoints and midpoints', () => {
    const v = colormap('viridis').lut;
    expect([hex(v, 0), hex(v, 128), hex(v, 255)]).toEqual(['#440154', '#21918c', '#fde725']);
    const m = colormap('magma').lut;
    expect([hex(m, 0), hex(m, 255)]).toEqual(['#000004', '#fcfdbf']);
    const f = colormap('inferno').lut;
    expect([hex(f, 0), hex(f, 255)]).toEqual(['#000004', '#fcffa4']);
    const g = colormap('gray').lut;
    expect([hex(g, 0), hex(g, 128), hex(g, 255)]).toEqual(['#000000', '#808080', '#ffffff']);
  });

  for (const name of ['viridis', 'magma', 'inferno', 'gray'] as const) {
    it(`${name}: 256 entries with luminance increasing from bottom to top`, () => {
      const lut = colormap(name).lut;
      expect(lut.length).toBe(768);
      // matplotlib's float tables are strictly increasing; rounding to 8 bits leaves dips of at most ~3e-4
      // between neighbours (viridis), so: never down by more than that, and up over every 4 entries.
      for (let i = 1; i < 256; i++) expect(luminance(lut, i)).toBeGreaterThan(luminance(lut, i - 1) - 5e-4);
      for (let i = 4; i < 256; i++) expect(luminance(lut, i)).toBeGreaterThan(luminance(lut, i - 4));
    });
  }

  it('returns a fresh table on each call', () => {
    const a = colormap('viridis');
    a.lut[0] = 1;
    expect(colormap('viridis').lut[0]).toBe(0x44);
  });

  it('lists its names and rejects others', () => {
    expect(COLORMAP_NAMES).toEqual(['viridis', 'magma', 'inferno', 'gray']);
    expect(() => colormap('jet' as 'gray')).toThrow(/name = "jet" is not a built-in colormap.*'viridis'/);
  });
});

describe('createColormap', () => {
  it('interpolates evenly spaced stops', () => {
    const c = createColormap('bw', ['#000000', '#ffffff']);
    expect(c.lut).toEqual(colormap('gray').lut);
    const d = createColormap('rwb', ['#ff0000', [255, 255, 255], '#00f']);
    expect([hex(d.lut, 0), hex(d.lut, 255)]).toEqual(['#ff0000', '#0000ff']);
    expect(hex(d.lut, 127)).toBe('#fffefe');
  });

  it('rejects too few stops and bad colours', () => {
    expect(() => createColormap('x', ['#000'])).toThrow(/at least 2/);
    expect(() => createColormap('x', ['#000', 'red'])).toThrow(/stops\[1\] = "red" is not a colour/);
    expect(() => createColormap('x', ['#000', [0, 0, 256]])).toThrow(RangeError);
  });
});
