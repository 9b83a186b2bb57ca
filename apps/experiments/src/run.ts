#!/usr/bin/env node
// Runs a paper experiment: node dist/run.js <vi-a | vi-b> [--out DIR] [--quick] [--force]
import { installSignalHandlers } from './output.js';
import { EXPERIMENTS, runExperiment, type ExperimentId } from './registry.js';

const USAGE = `usage: npm run experiment -- <${Object.keys(EXPERIMENTS).join(' | ')}> [--out DIR] [--quick] [--force]
  --out DIR   output folder (default experiments-out/<id>); must be new or empty unless --force
  --quick     reduced size (seconds instead of minutes)
${Object.entries(EXPERIMENTS)
  .map(([id, e]) => `  ${id}: ${e.title}`)
  .join('\n')}`;

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const id = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--out');
  if (!id || !(id in EXPERIMENTS)) {
    console.error(id ? `unknown experiment "${id}"` : 'no experiment given');
    console.error(USAGE);
    return 2;
  }
  const outIdx = args.indexOf('--out');
  if (outIdx >= 0 && !args[outIdx + 1]) {
    console.error('--out needs a folder');
    return 2;
  }
  const out = outIdx >= 0 ? args[outIdx + 1] : `experiments-out/${id}`;
  // Ctrl-C removes the temporary file being written and the folders this run created and left empty
  installSignalHandlers((signal) => console.error(`interrupted (${signal}): partial output removed`));
  try {
    const r = runExperiment(id as ExperimentId, out, { quick: args.includes('--quick'), force: args.includes('--force'), log: (l) => console.log(l) });
    console.log(`wrote ${r.files.map((f) => `${r.dir}/${f}`).join(', ')}`);
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    if (args.includes('--verbose')) console.error(e);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
