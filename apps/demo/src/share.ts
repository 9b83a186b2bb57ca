/**
 * The shareable address: every setting and the built-in signal in the URL hash
 * (`#signal=vi-a&windowMode=time&nFft=1024&…`). Opening such an address restores them; a dropped file cannot
 * travel in a URL, so its settings travel alone (with `signal=file`, the page starts on the first signal).
 */
import type { DemoSettings } from './settings.js';

export const SHARE_FIELDS = ['windowMode', 'nFft', 'hop', 'positions', 'theta', 'window', 'fft', 'loss', 'regularizerWeight', 'lr', 'iterations'] as const satisfies readonly (keyof DemoSettings)[];

export function encodeShare(signal: string, settings: DemoSettings): string {
  const q = new URLSearchParams({ signal });
  for (const k of SHARE_FIELDS) q.set(k, String(settings[k]));
  return `#${q.toString()}`;
}

/** The signal id and the raw setting strings found in a hash (unknown keys ignored; values parsed by the form). */
export function decodeShare(hash: string): { signal: string | null; raw: Partial<Record<keyof DemoSettings, string>> } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const raw: Partial<Record<keyof DemoSettings, string>> = {};
  for (const k of SHARE_FIELDS) {
    const v = q.get(k);
    if (v !== null) raw[k] = v;
  }
  return { signal: q.get('signal'), raw };
}
