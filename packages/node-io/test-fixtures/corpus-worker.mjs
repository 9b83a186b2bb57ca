// A corpus worker for src/corpus.test.ts: "processes" a file by writing its byte count and a per-worker setup
// counter to <out>/result.json. Files starting with "BAD" throw; "CRASH" ends the worker; "SLOW" takes 300 ms.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { serveCorpus, writeFileAtomic } from '../dist/index.js';

let setups = 0;
serveCorpus((options) => {
  setups++;
  const scale = options.scale;
  return async (job) => {
    const text = readFileSync(job.path, 'latin1');
    if (text.startsWith('BAD')) throw new Error(`${job.rel}: not a recording`);
    if (text.startsWith('CRASH')) process.exit(3);
    if (text.startsWith('SLOW')) await new Promise((r) => setTimeout(r, 300));
    if (job.out) {
      mkdirSync(job.out, { recursive: true });
      writeFileAtomic(join(job.out, 'result.json'), JSON.stringify({ bytes: text.length, setups, threadId }), { force: job.force });
    }
    return { durationSec: text.length / 1000, sampleRate: 1000, theta: text.length * scale, lossBefore: 1, lossAfter: 0.5 };
  };
});
