import { project } from '@dstft/vitest-config';

// test/e2e.test.ts drives the built site (dist/) in Chromium; `npm test` builds it first (turbo build).
export default project('demo', { testTimeout: 120_000, hookTimeout: 120_000 });
