import { project } from '@dstft/vitest-config';

// End-to-end tests spawn the BUILT CLI (dist/cli.js): `pnpm turbo run build --filter=@dstft/cli...` first
// (`npm test` builds before testing). test/setup.ts fails with a clear message when dist is missing.
export default project('cli', { setupFiles: ['test/setup.ts'] });
