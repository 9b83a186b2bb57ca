import { defineLibrary } from '@dstft/tsup-config';

export default defineLibrary();
