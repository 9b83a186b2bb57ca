#!/usr/bin/env node
/**
 * The `dstft` binary. The command runs in a worker thread (./cli-worker.ts); this thread waits for it and for
 * signals. Ctrl-C (or SIGTERM) asks the command to stop through its abort signal and, if one unit of work (a long
 * transform) keeps it busy for more than 400 ms, or at a second Ctrl-C, terminates it. Either way every output
 * of the run is removed and the exit code is 130 (143 for SIGTERM).
 */
import { runInterruptible } from '@dstft/node-io';
import { interruptedMessage } from './program.js';
import { processTerminal } from './context.js';

// `dstft … | head`: a reader that stops early is not an error of the command (and must not crash this thread)
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

const argv = process.argv.slice(2);
const json = argv.includes('--json');
process.exitCode = await runInterruptible({
  worker: new URL('./cli-worker.js', import.meta.url),
  input: { argv, terminal: processTerminal() },
  onInterrupt(signal, how) {
    if (how === 'cooperative') return; // the command said so itself
    const { exitCode, message } = interruptedMessage(signal);
    process.stderr.write(`dstft: ${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'ERR_INTERRUPTED', exitCode, message } })}\n`);
  },
});
