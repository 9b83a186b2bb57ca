import { defineLibrary } from '@dstft/tsup-config';

// Node-only package: the worker is its own entry (dist/worker.js), loaded by URL from dist/index.js.
export default defineLibrary({ entry: ['src/index.ts', 'src/worker.ts'], platform: 'node' });
