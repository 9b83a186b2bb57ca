// The end-to-end tests spawn the built CLI: fail at once, with the fix, when it has not been built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  throw new Error(`${cli} is missing: the CLI tests run the built CLI. Fix: build it first (pnpm turbo run build --filter=@dstft/cli...), or run \`npm test\`, which builds before testing`);
}
