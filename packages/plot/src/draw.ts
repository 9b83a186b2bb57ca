// Anti-aliased strokes and markers. A polyline is rasterized into a coverage mask (the max over its segments, so
// joints are not drawn twice) and then blended once: coverage of a pixel = clamp(w/2 + 1/2 - d, 0, 1), d = distance
// from the pixel centre to the segment (round caps and joins). Internal: callers validate their inputs.
import { blendPixel, type Image } from './image.js';

/** A coverage buffer over a rectangle of the image, reused across strokes. */
export interface Mask {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly cov: Float32Array;
}

export function createMask(x: number, y: number, width: number, height: number): Mask {
  return { x, y, width, height, cov: new Float32Array(width * height) };
}

/**
 * Adds a polyline to the mask. `px`, `py` are image coordinates (pixel centres at k + 0.5); a NaN point breaks the
 * line. Dashes: `dashOn`/`dashOff` lengths in pixels along the line (dashOff = 0: solid).
 */
export function strokePolyline(m: Mask, px: Float64Array, py: Float64Array, lineWidth: number, dashOn: number, dashOff: number): void {
  const hw = lineWidth / 2;
  const reach = hw + 1;
  const period = dashOn + dashOff;
  const cov = m.cov;
  const mw = m.width;
  let along = 0;
  for (let i = 1; i < px.length; i++) {
    const x0 = px[i - 1] - m.x;
    const y0 = py[i - 1] - m.y;
    const x1 = px[i] - m.x;
    const y1 = py[i] - m.y;
    if (x0 !== x0 || y0 !== y0 || x1 !== x1 || y1 !== y1) {
      along = 0;
      continue;
    }
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    const len = Math.sqrt(len2);
    const ix0 = Math.max(0, Math.floor(Math.min(x0, x1) - reach));
    const ix1 = Math.min(mw - 1, Math.ceil(Math.max(x0, x1) + reach));
    const iy0 = Math.max(0, Math.floor(Math.min(y0, y1) - reach));
    const iy1 = Math.min(m.height - 1, Math.ceil(Math.max(y0, y1) + reach));
    for (let y = iy0; y <= iy1; y++) {
      const cy = y + 0.5 - y0;
      for (let x = ix0; x <= ix1; x++) {
        const cx = x + 0.5 - x0;
        let t = len2 > 0 ? (cx * dx + cy * dy) / len2 : 0;
        if (t < 0) t = 0;
        else if (t > 1) t = 1;
        const ex = cx - t * dx;
        const ey = cy - t * dy;
        let c = hw + 0.5 - Math.sqrt(ex * ex + ey * ey);
        if (c <= 0) continue;
        if (c > 1) c = 1;
        if (dashOff > 0) {
          const s = along + t * len;
          if (s - Math.floor(s / period) * period >= dashOn) continue;
        }
        const k = y * mw + x;
        if (c > cov[k]) cov[k] = c;
      }
    }
    along += len;
  }
}

/** Blends `rgb` over the image with the mask's coverage, then clears the mask. */
export function compositeMask(img: Image, m: Mask, rgb: number): void {
  const cov = m.cov;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const k = y * m.width + x;
      const c = cov[k];
      if (c > 0) {
        blendPixel(img, m.x + x, m.y + y, rgb, c);
        cov[k] = 0;
      }
    }
  }
}

/** The shape of a scatter marker in figures. */
export type MarkerShape = 'circle' | 'square' | 'diamond';

/** An anti-aliased filled marker of radius r centred at (cx, cy), clipped to [clipX0, clipX1) × [clipY0, clipY1). */
export function drawMarker(
  img: Image, shape: MarkerShape, cx: number, cy: number, r: number, rgb: number,
  clipX0: number, clipY0: number, clipX1: number, clipY1: number,
): void {
  const x0 = Math.max(clipX0, Math.floor(cx - r - 1));
  const x1 = Math.min(clipX1 - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(clipY0, Math.floor(cy - r - 1));
  const y1 = Math.min(clipY1 - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      // Signed distance outside the shape (negative inside), then coverage = clamp(0.5 - d).
      let d: number;
      if (shape === 'circle') d = Math.sqrt(dx * dx + dy * dy) - r;
      else if (shape === 'square') d = Math.max(Math.abs(dx), Math.abs(dy)) - r * 0.9;
      else d = (Math.abs(dx) + Math.abs(dy) - r * 1.3) * Math.SQRT1_2;
      const c = 0.5 - d;
      if (c > 0) blendPixel(img, x, y, rgb, c > 1 ? 1 : c);
    }
  }
}
