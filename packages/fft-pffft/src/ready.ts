/**
 * `@dstft/fft-pffft/plugin`: the plugin itself as the default export, loaded on import (top-level await), for the
 * programs that load plugins by module name: `dstft … --plugin @dstft/fft-pffft/plugin --fft pffft`, or every
 * thread of `createParallelDstft({ ...options, fft: 'pffft' })` (which adds this module to its `plugins` itself).
 */
import { loadPffftPlugin } from './plugin.js';

export type { PffftPlugin } from './plugin.js';

/** The PFFFT `fft` plugin, already loaded (top-level await): `--plugin @dstft/fft-pffft/plugin`. */
const plugin = await loadPffftPlugin();
export default plugin;
