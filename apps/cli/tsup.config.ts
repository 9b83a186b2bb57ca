import { defineLibrary } from '@dstft/tsup-config';

export default defineLibrary({ entry: ['src/index.ts', 'src/cli.ts', 'src/cli-worker.ts', 'src/batch-worker.ts'], platform: 'node' });
