// The end-to-end tests spawn the built CLI: fail at once, with the fix, when it has not been built or is older
// than its sources (`turbo run test` builds first: see apps/cli/turbo.json; `npm test` builds everything first).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const src = fileURLToPath(new URL('../src', import.meta.url));
const fix = 'Fix: build it first (pnpm turbo run build --filter=@dstft/cli...), or run `npm test`, which builds before testing';
if (!existsSync(cli)) throw new Error(`${cli} is missing: the CLI tests run the built CLI. ${fix}`);
const newest = (dir: string): number =>
  Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
if (newest(src) > statSync(cli).mtimeMs + 1000) throw new Error(`${cli} is older than apps/cli/src: the tests would run a stale CLI. ${fix}`);
