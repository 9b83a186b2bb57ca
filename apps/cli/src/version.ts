/**
 * The CLI's version, read from its own package.json (`dist/…` → `../package.json`, in the repository and in an
 * installed package alike), so `dstft --version` and result files follow what `changeset version` wrote.
 */
import { createRequire } from 'node:module';

/** The version of `@dstft/cli` (its package.json `version`). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
