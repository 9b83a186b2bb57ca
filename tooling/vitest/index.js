// Shared per-package vitest project: `export default project('kernel')` in each package.
import { defineProject } from 'vitest/config';

/** @param {string} name */
export function project(name, extra = {}) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      ...extra,
    },
  });
}
