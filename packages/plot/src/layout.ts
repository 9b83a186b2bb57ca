// Composing figures: side by side, stacked, and with a title above.
import { type Color, packColor, unpackColor } from './color.js';
import { blit, checkImage, createImage, type Image } from './image.js';
import { drawText, measureText } from './text.js';
import { checkEnum, checkInt, checkString, show } from './validate.js';

/** Options of {@link hstack} / {@link vstack}: gap (pixels), background colour and alignment of smaller images. */
export interface StackOptions {
  /** Pixels between neighbours (default 0). */
  gap?: number;
  /** Fills the gaps and the space beside smaller images (default white). */
  background?: Color;
  /** Where smaller images sit across the stacking direction (default 'start': top for hstack, left for vstack). */
  align?: 'start' | 'center' | 'end';
}

const ALIGNS = ['start', 'center', 'end'] as const;

function stack(fn: string, images: readonly Image[], options: StackOptions, horizontal: boolean): Image {
  if (!Array.isArray(images) || images.length === 0) {
    throw new TypeError(`${fn}: images must be a non-empty array of Image (got ${show(images)}). Fix: pass [a, b, …]`);
  }
  images.forEach((img, i) => checkImage(fn, `images[${i}]`, img));
  const gap = checkInt(fn, 'options.gap', options.gap ?? 0, 0, 'Fix: pass a gap in pixels');
  const align = checkEnum(fn, 'options.align', options.align ?? 'start', ALIGNS);
  const bg = packColor(options.background ?? '#ffffff', `${fn}: options.background`);
  let along = gap * (images.length - 1);
  let across = 0;
  for (const img of images) {
    along += horizontal ? img.width : img.height;
    across = Math.max(across, horizontal ? img.height : img.width);
  }
  const rgb = unpackColor(bg);
  const out = horizontal ? createImage(along, across, rgb) : createImage(across, along, rgb);
  let pos = 0;
  for (const img of images) {
    const size = horizontal ? img.height : img.width;
    const off = align === 'start' ? 0 : align === 'center' ? Math.floor((across - size) / 2) : across - size;
    if (horizontal) blit(out, img, pos, off);
    else blit(out, img, off, pos);
    pos += (horizontal ? img.width : img.height) + gap;
  }
  return out;
}

/** Places images side by side, left to right. */
export function hstack(images: readonly Image[], options: StackOptions = {}): Image {
  return stack('hstack', images, options, true);
}

/** Places images one below the other, top to bottom. */
export function vstack(images: readonly Image[], options: StackOptions = {}): Image {
  return stack('vstack', images, options, false);
}

/** Options of {@link withTitle}: text scale, colour, background, padding (pixels) and weight of the title band. */
export interface TitleOptions {
  /** Text scale (default 2). */
  scale?: number;
  color?: Color;
  /** Default white. */
  background?: Color;
  /** Space above and below the title in pixels (default 8). */
  padding?: number;
  /** Default true. */
  bold?: boolean;
}

/** A new image: `text` centred in a band above `img` (e.g. a caption over an hstack of figures). */
export function withTitle(img: Image, text: string, options: TitleOptions = {}): Image {
  checkImage('withTitle', 'img', img);
  checkString('withTitle', 'text', text);
  const scale = options.scale ?? 2;
  const padding = checkInt('withTitle', 'options.padding', options.padding ?? 8, 0, 'Fix: pass a padding in pixels');
  const bold = options.bold ?? true;
  const size = measureText(text, { scale, bold });
  const width = Math.max(img.width, size.width + 2 * padding);
  const band = size.height + 2 * padding;
  const out = createImage(width, band + img.height, options.background ?? '#ffffff');
  drawText(out, width / 2, padding, text, { scale, bold, align: 'center', color: options.color ?? '#000000' });
  blit(out, img, Math.floor((width - img.width) / 2), band);
  return out;
}
