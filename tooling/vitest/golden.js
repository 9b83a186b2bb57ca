// Locates the PyTorch reference's golden data (shared/golden, beside the repository) for parity tests.
// Test infrastructure only: published packages never read it. Override with DSTFT_GOLDEN_DIR.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = 'golden-constant-window.json';

export function goldenDir() {
  const env = process.env.DSTFT_GOLDEN_DIR;
  if (env) {
    if (!existsSync(join(env, MARKER))) throw new Error(`DSTFT_GOLDEN_DIR = ${env}: no ${MARKER} there. Fix: point it at the golden data folder`);
    return env;
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'golden');
    if (existsSync(join(candidate, MARKER))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(
    `golden data not found: no shared/golden/${MARKER} in any folder above the repository. ` +
      'Fix: put the shared/ folder beside the repository, or set DSTFT_GOLDEN_DIR',
  );
}

export function readGolden(name) {
  return JSON.parse(readFileSync(join(goldenDir(), name), 'utf8'));
}
