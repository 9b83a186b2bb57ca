// The raster every function draws into: RGBA, 8 bits per channel, row-major from the top-left corner, exactly the
// layout of the browser's ImageData (`new ImageData(img.data, img.width, img.height)`).
import { type Color, packColor } from './color.js';
import { checkInt, show } from './validate.js';

/** An RGBA raster: `data[4·(y·width + x) + c]`, c = 0 red, 1 green, 2 blue, 3 alpha; row 0 is the top. */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** Largest image this package allocates (2^28 pixels, 1 GiB of RGBA). */
export const MAX_PIXELS = 2 ** 28;

/** A new opaque image filled with `background` (default white). */
export function createImage(width: number, height: number, background: Color = '#ffffff'): Image {
  const fix = 'Fix: pass the size in pixels as positive integers';
  checkInt('createImage', 'width', width, 1, fix);
  checkInt('createImage', 'height', height, 1, fix);
  if (width * height > MAX_PIXELS) {
    throw new RangeError(`createImage: ${width}×${height} = ${width * height} pixels exceeds ${MAX_PIXELS}. Fix: draw a smaller image`);
  }
  const rgb = packColor(background, 'createImage: background');
  const data = new Uint8ClampedArray(width * height * 4);
  data[0] = rgb >> 16;
  data[1] = (rgb >> 8) & 255;
  data[2] = rgb & 255;
  data[3] = 255;
  // Doubling copy: log2(n) memmoves instead of a per-pixel loop.
  for (let filled = 4; filled < data.length; filled *= 2) data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
  return { width, height, data };
}

/** Throws unless `img` is a well-formed Image. */
export function checkImage(fn: string, name: string, img: unknown): Image {
  const i = img as Image | null;
  if (
    typeof i !== 'object' || i === null || !(i.data instanceof Uint8ClampedArray) ||
    !Number.isInteger(i.width) || !Number.isInteger(i.height) || i.width < 1 || i.height < 1
  ) {
    throw new TypeError(`${fn}: ${name} must be an Image { width, height, data: Uint8ClampedArray } (got ${show(img)}). Fix: create it with createImage(width, height)`);
  }
  if (i.data.length !== i.width * i.height * 4) {
    throw new RangeError(`${fn}: ${name}.data.length = ${i.data.length} but ${i.width}×${i.height} RGBA needs ${i.width * i.height * 4}. Fix: allocate width·height·4 bytes`);
  }
  return i;
}

/** Fills the rectangle [x, x+w) × [y, y+h) (clipped to the image) with an opaque colour. */
export function fillRect(img: Image, x: number, y: number, w: number, h: number, color: Color): void {
  fillRectPacked(img, x, y, w, h, packColor(color, 'fillRect: color'));
}

/** fillRect with a packed 0xRRGGBB colour and integer-rounded coordinates. */
export function fillRectPacked(img: Image, x: number, y: number, w: number, h: number, rgb: number): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w));
  const y1 = Math.min(img.height, Math.round(y + h));
  if (x1 <= x0 || y1 <= y0) return;
  const d = img.data;
  const r = rgb >> 16;
  const g = (rgb >> 8) & 255;
  const b = rgb & 255;
  const stride = img.width * 4;
  const first = y0 * stride + x0 * 4;
  for (let i = first, end = first + (x1 - x0) * 4; i < end; i += 4) {
    d[i] = r;
    d[i + 1] = g;
    d[i + 2] = b;
    d[i + 3] = 255;
  }
  const rowBytes = (x1 - x0) * 4;
  for (let yy = y0 + 1; yy < y1; yy++) d.copyWithin(yy * stride + x0 * 4, first, first + rowBytes);
}

/** Blends an opaque colour over pixel (x, y) with coverage `a` in [0, 1]; outside the image: nothing. */
export function blendPixel(img: Image, x: number, y: number, rgb: number, a: number): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height || !(a > 0)) return;
  const d = img.data;
  const i = (y * img.width + x) * 4;
  if (a >= 1) {
    d[i] = rgb >> 16;
    d[i + 1] = (rgb >> 8) & 255;
    d[i + 2] = rgb & 255;
  } else {
    const k = 1 - a;
    d[i] = d[i] * k + (rgb >> 16) * a;
    d[i + 1] = d[i + 1] * k + ((rgb >> 8) & 255) * a;
    d[i + 2] = d[i + 2] * k + (rgb & 255) * a;
  }
  d[i + 3] = 255;
}

/** Copies `src` into `dst` with its top-left corner at integer (x, y), clipped to `dst`. */
export function blit(dst: Image, src: Image, x: number, y: number): void {
  checkImage('blit', 'dst', dst);
  checkImage('blit', 'src', src);
  if (!Number.isInteger(x) || !Number.isInteger(y)) {
    throw new TypeError(`blit: x, y must be integers (got ${show(x)}, ${show(y)}). Fix: round the position`);
  }
  const sx0 = Math.max(0, -x);
  const sy0 = Math.max(0, -y);
  const sx1 = Math.min(src.width, dst.width - x);
  const sy1 = Math.min(src.height, dst.height - y);
  if (sx1 <= sx0 || sy1 <= sy0) return;
  for (let sy = sy0; sy < sy1; sy++) {
    const from = (sy * src.width + sx0) * 4;
    dst.data.set(src.data.subarray(from, from + (sx1 - sx0) * 4), ((sy + y) * dst.width + sx0 + x) * 4);
  }
}
