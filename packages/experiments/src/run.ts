#!/usr/bin/env node
// Runs a paper experiment: node dist/run.js <vi-a | vi-b> [--out DIR] [--quick] [--force]
import { isMainThread } from 'node:worker_threads';
import { isAbortError } from '@dstft/dstft';
import { cleanupAfterFailure, cleanupAfterInterrupt, reportDone, runInterruptible, workerAbortSignal, workerInput } from '@dstft/node-io';
import { EXPERIMENTS, runExperiment, type ExperimentId } from './registry.js';

const USAGE = `usage: npm run experiment -- <${Object.keys(EXPERIMENTS).join(' | ')}> [--out DIR] [--quick] [--force]
  --out DIR   output folder (default experiments-out/<id>); must be new or empty unless --force
  --quick     reduced size (seconds instead of minutes)
${Object.entries(EXPERIMENTS)
  .map(([id, e]) => `  ${id}: ${e.title}`)
  .join('\n')}`;

interface Job {
  id: ExperimentId;
  out: string;
  quick: boolean;
  force: boolean;
  verbose: boolean;
}

/** Parses the command line: a job, or an exit code (help, usage error). */
function parse(argv: string[]): Job | number {
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
  const out = outIdx >= 0 ? args[outIdx + 1]! : `experiments-out/${id}`;
  return { id: id as ExperimentId, out, quick: args.includes('--quick'), force: args.includes('--force'), verbose: args.includes('--verbose') };
}

/** The experiment itself, in the worker thread: checks the abort signal between units of work. */
function work(job: Job): number {
  const signal = workerAbortSignal();
  try {
    const r = runExperiment(job.id, job.out, { quick: job.quick, force: job.force, log: (l) => console.log(l), signal });
    console.log(`wrote ${r.files.map((f) => `${r.dir}/${f}`).join(', ')}`);
    return 0;
  } catch (e) {
    if (isAbortError(e)) {
      cleanupAfterInterrupt();
      return 130;
    }
    // a failed run keeps nothing half-written: temporary files and the folders it created while still empty
    cleanupAfterFailure();
    console.error(`error: ${(e as Error).message}`);
    if (job.verbose) console.error(e);
    return 1;
  }
}

if (isMainThread) {
  const job = parse(process.argv.slice(2));
  process.exitCode =
    typeof job === 'number'
      ? job
      : // Ctrl-C: the worker stops at its next check (or is terminated), and every output of the run is removed
        await runInterruptible({
          worker: new URL(import.meta.url),
          input: job,
          onInterrupt: (signal) => console.error(`interrupted (${signal}): partial output removed`),
        });
} else {
  reportDone(work(workerInput<Job>()));
}
