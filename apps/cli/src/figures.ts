/**
 * Side-by-side spectrograms on ONE colour scale: `dstft optimize` draws the fixed-parameter and the optimized
 * spectrograms next to each other, and a reader compares their colours; each panel scaled to its own maximum
 * would hide a global level change and make the sharper one look louder or quieter. Both panels get the same
 * top (the maximum of both, in dB) and the same range below it; the colour bars say so ("dB re max of both").
 */
import { spectrogramFigure, type Figure } from '@dstft/plot';
import type { DisplaySpec } from './spectro.js';
import { minMax } from './arrays.js';

export interface SharedScale {
  /** Bottom and top of both colour bars, in dB re the largest value of both panels (so vmax = 0). */
  readonly vmin: number;
  readonly vmax: number;
  readonly dynamicRange: number;
  /** The 0 dB reference: the largest value of S (|X| or |X|²) over both panels. */
  readonly reference: number;
  readonly label: string;
}

export const SHARED_SCALE_LABEL = 'dB re max of both';

/** The common scale of `panels`: top = the largest value of any panel in dB, `dynamicRange` dB below it. */
export function sharedScale(panels: readonly DisplaySpec[], dynamicRange = 80): SharedScale {
  let top = 0;
  for (const p of panels) {
    const { max } = minMax(p.spec);
    if (max > top) top = max;
  }
  return { vmin: -dynamicRange, vmax: 0, dynamicRange, reference: top, label: SHARED_SCALE_LABEL };
}

/** One figure per panel, all on `scale` (default: sharedScale(panels)). */
export function sharedScaleFigures(panels: readonly { display: DisplaySpec; title: string }[], scale: SharedScale = sharedScale(panels.map((p) => p.display))): { figures: Figure[]; scale: SharedScale } {
  const ref = scale.reference > 0 ? scale.reference : 1;
  const figures = panels.map(({ display: d, title }) => {
    const rel = new Float64Array(d.spec.length);
    for (let k = 0; k < rel.length; k++) rel[k] = d.spec[k]! / ref;
    return spectrogramFigure(rel, {
      freqs: d.freqs,
      frames: d.columns,
      times: d.times,
      frequencies: d.frequencies,
      power: d.power === 2 ? 2 : 1,
      title,
      vmax: scale.vmax,
      dynamicRange: scale.dynamicRange,
      colorbarLabel: scale.label,
    });
  });
  return { figures, scale };
}
