import { defineLibrary } from '@dstft/tsup-config';

export default defineLibrary({ entry: ['src/index.ts', 'src/run.ts'], platform: 'node' });
