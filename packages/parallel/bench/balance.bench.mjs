// The adaptive split against the even one and one thread, interleaved, on whatever load the host has now
// (ParallelOptions.balance). Run: node bench/balance.bench.mjs [--rows B,A] [--rounds 5]
import { cpus, loadavg } from 'node:os';
import { createParallelDstft } from '@dstft/parallel';

const args = process.argv.slice(2);
const flag = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const rounds = Number(flag('rounds', 5));
const ROWS = {
  A: { opts: { nFft: 1024, hop: 256, signalLength: 16000, windowMode: 'constant', theta: 1000 }, B: 8 },
  "A'": { opts: { nFft: 1024, hop: 256, signalLength: 80000, windowMode: 'constant', theta: 1000 }, B: 1 },
  B: { opts: { nFft: 512, hop: 128, signalLength: 16000, windowMode: 'time', theta: 400 }, B: 1 },
  C: { opts: { nFft: 256, hop: 64, signalLength: 4096, windowMode: 'time-frequency', theta: 200 }, B: 1 },
};
const rows = flag('rows', 'B,A').split(',');
function time(fn, ms = 400) {
  for (let i = 0; i < 3; i++) fn();
  const t = [];
  const s = performance.now();
  while (t.length < 5 || performance.now() - s < ms) {
    const a = performance.now();
    fn();
    t.push(performance.now() - a);
  }
  t.sort((p, q) => p - q);
  return t[t.length >> 1];
}
console.log(`balance bench — ${cpus().length} cores, load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
for (const id of rows) {
  const { opts, B } = ROWS[id];
  const x = Float64Array.from({ length: B * opts.signalLength }, (_, k) => Math.sin(0.01 * k + 2e-7 * k * k) + 0.5 * Math.sin(0.37 * k));
  const one = await createParallelDstft(opts, { threads: 1 });
  const even = await createParallelDstft(opts, { threads: 2, balance: 'even' });
  const adaptive = await createParallelDstft(opts, { threads: 2 });
  const steps = { one: null, even: null, adaptive: null };
  const t = { one: [], even: [], adaptive: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [k, p] of [['one', one], ['even', even], ['adaptive', adaptive]]) {
      t[k].push(time(() => { steps[k] = p.lossStep(x, 'shannon', steps[k] ? { out: steps[k].result } : {}); }));
    }
  }
  const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
  console.log(`${id}: one thread ${med(t.one).toFixed(2)} ms, two even ${med(t.even).toFixed(2)} ms, two adaptive ${med(t.adaptive).toFixed(2)} ms; adaptive split now ${JSON.stringify(adaptive.split)}`);
  await Promise.all([one.close(), even.close(), adaptive.close()]);
}
