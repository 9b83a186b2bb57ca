// @acme/dstft-plugins: a window and a loss for dstft-ts. The default export is a preset, which is what
// `registry.use()` and the CLI's `--plugin` take; the plugins are also exported by name.
import { cosinePower } from './cosine-power.js';
import { l1l2 } from './l1-l2.js';

export { cosinePower, l1l2 };

const preset = { name: '@acme/dstft-plugins', plugins: [cosinePower, l1l2] };
export default preset;
