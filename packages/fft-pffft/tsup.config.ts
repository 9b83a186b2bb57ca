import { defineLibrary } from '@dstft/tsup-config';

// `./plugin` (src/ready.ts) is the loaded plugin as a default export (top-level await), for loading by module name.
export default defineLibrary({ entry: ['src/index.ts', 'src/ready.ts'] });
