/**
 * The `dstft` command's work, in a worker thread started by ./cli.ts: the main thread stays free to handle Ctrl-C
 * while a transform runs. Writes go to this thread's process.stdout / stderr, which Node forwards to the process's.
 */
import { reportDone, workerAbortSignal, workerInput } from '@dstft/node-io';
import type { Terminal } from './context.js';
import { run } from './program.js';

const { argv, terminal } = workerInput<{ argv: string[]; terminal: Terminal }>();
reportDone(await run(argv, undefined, { signal: workerAbortSignal(), terminal }));
