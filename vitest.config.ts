import { defineConfig } from 'vitest/config';

// Root: runs every package's own vitest project (each has a vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
