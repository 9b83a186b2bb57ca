// The PyTorch reference's golden outputs for the parity tests, stored in this repository beside this file
// (tooling/vitest/golden/, provenance in its README.md). Found relative to this file only: nothing outside the
// repository is read, and there is no environment override. Test infrastructure only: published packages never read it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export function goldenDir() {
  return DIR;
}

export function readGolden(name) {
  const file = join(DIR, name);
  if (!existsSync(file)) {
    throw new Error(`golden data: no ${name} in ${DIR}. Fix: use one of the files listed in tooling/vitest/golden/README.md`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
