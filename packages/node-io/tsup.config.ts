import { defineLibrary } from '@dstft/tsup-config';

// Node-only package (node:fs, node:worker_threads).
export default defineLibrary({ platform: 'node' });
