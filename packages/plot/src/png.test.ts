import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createImage, type Image } from './image.js';
import { crc32, encodePng, type PngFilter } from './png.js';
import { firstDifference, mulberry32 } from './rng.test-support.js';

function randomImage(width: number, height: number, seed: number, smooth = false): Image {
  const rand = mulberry32(seed);
  const img = createImage(width, height);
  for (let i = 0; i < img.data.length; i++) {
    img.data[i] = smooth ? ((i >> 2) % width) * 3 + (i & 3) * 40 + Math.floor(rand() * 3) : Math.floor(rand() * 256);
  }
  return img;
}

function decode(bytes: Uint8Array): { width: number; height: number; data: Buffer } {
  return PNG.sync.read(Buffer.from(bytes));
}

describe('encodePng', () => {
  const sizes: [number, number][] = [[1, 1], [2, 1], [1, 5], [3, 2], [7, 5], [33, 17], [128, 3], [1, 64]];
  const filters: PngFilter[] = ['adaptive', 'none', 'sub', 'up', 'average', 'paeth'];

  for (const [w, h] of sizes) {
    for (const filter of filters) {
      it(`round-trips ${w}×${h} random RGBA exactly with filter '${filter}'`, () => {
        const img = randomImage(w, h, w * 1000 + h);
        const png = decode(encodePng(img, { filter }));
        expect(png.width).toBe(w);
        expect(png.height).toBe(h);
        expect(new Uint8Array(png.data)).toEqual(new Uint8Array(img.data.buffer));
      });
    }
  }

  it('round-trips a smooth image at every compression level', () => {
    const img = randomImage(61, 23, 7, true);
    for (let level = 0; level <= 9; level++) {
      expect(new Uint8Array(decode(encodePng(img, { level })).data)).toEqual(new Uint8Array(img.data.buffer));
    }
  });

  it('is deterministic: the same pixels give the same bytes', () => {
    const a = encodePng(randomImage(45, 31, 99));
    const b = encodePng(randomImage(45, 31, 99));
    expect(a.length).toBeGreaterThan(100);
    expect(firstDifference(a, b)).toBe(-1);
    expect(firstDifference(encodePng(randomImage(45, 31, 99)), a)).toBe(-1);
  });

  it('writes the PNG signature, IHDR (RGBA 8-bit) first and IEND last, with valid CRCs', () => {
    const bytes = encodePng(randomImage(5, 4, 1));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const types: string[] = [];
    for (let o = 8; o < bytes.length;) {
      const len = view.getUint32(o);
      const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
      types.push(type);
      expect(view.getUint32(o + 8 + len)).toBe(crc32(bytes, o + 4, o + 8 + len));
      if (type === 'IHDR') expect([view.getUint32(o + 8), view.getUint32(o + 12), bytes[o + 16], bytes[o + 17]]).toEqual([5, 4, 8, 6]);
      o += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('compresses a flat image to about a kilobyte', () => {
    expect(encodePng(createImage(400, 300, '#123456')).length).toBeLessThan(2000);
  });

  it('rejects bad images and options with clear errors', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(15) })).toThrow(/data.length = 15.*16/);
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(16) } as unknown as Image)).toThrow(TypeError);
    expect(() => encodePng(createImage(1, 1), { filter: 'best' as PngFilter })).toThrow(/options.filter = "best"/);
    expect(() => encodePng(createImage(1, 1), { level: 10 })).toThrow(RangeError);
  });
});

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});
