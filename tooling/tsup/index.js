// The only tsup configuration of the monorepo: every package calls defineLibrary().
// Swapping the bundler touches this package alone.
import { defineConfig } from 'tsup';

/** @param {{ entry?: string[] | Record<string, string>, platform?: 'neutral' | 'node' | 'browser', external?: string[] }} [opts] */
export function defineLibrary(opts = {}) {
  return defineConfig({
    entry: opts.entry ?? ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: opts.platform ?? 'neutral',
    splitting: false,
    treeshake: true,
    external: opts.external ?? [],
  });
}
