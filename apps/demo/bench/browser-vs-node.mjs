// The VI-A optimizations the page offers, timed in headless Chromium (in the page's Web Worker, from the built
// site) and in Node (the same TypeScript module, src/run.ts, loaded through Vite's module runner).
// Usage (after `pnpm --filter ./apps/demo build`): node bench/browser-vs-node.mjs [--runs 5]
// Prints a Markdown table of medians; a first warm-up run on each side is not counted, and the sides alternate.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { runnerImport } from 'vite';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const CHROMIUM = process.env.DSTFT_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(join(appDir, 'dist', 'index.html'))) throw new Error('build the site first: pnpm --filter ./apps/demo build');
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** name → { node: ms[], browser: ms[], detail } */
const table = new Map();
const record = (side, results) => {
  for (const r of results) {
    const row = table.get(r.name) ?? { node: [], browser: [], detail: r.detail };
    row[side].push(r.wallTimeMs);
    table.set(r.name, row);
  }
};

// Node: the same module the worker runs
const { module: run } = await runnerImport(join(appDir, 'src', 'run.ts'), { root: appDir, logLevel: 'error' });
run.benchRuns(); // warm-up

// Browser: vite preview + Chromium, the page's worker
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const server = spawn(join(appDir, 'node_modules', '.bin', 'vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: appDir, stdio: 'ignore' });
const profile = mkdtempSync(join(tmpdir(), 'dstft-demo-bench-'));
let context;
try {
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 30_000 });
  const browserVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
  await page.evaluate(() => window.__dstftDemo.bench()); // warm-up
  // alternate the two sides, so that a change of machine load hits both alike
  for (let i = 0; i < RUNS; i++) {
    record('node', run.benchRuns());
    record('browser', await page.evaluate(() => window.__dstftDemo.bench()));
  }
  console.log(`Node ${process.version}; Chromium ${browserVersion} (headless, Web Worker); ${RUNS} runs each, medians`);
} finally {
  await context?.close();
  if (server.pid !== undefined) process.kill(server.pid, 'SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}

console.log('\n| VI-A run | result | Node (ms) | Chromium worker (ms) | browser / Node |');
console.log('|---|---|---|---|---|');
for (const [name, row] of table) {
  const n = median(row.node);
  const b = median(row.browser);
  console.log(`| ${name} | ${row.detail} | ${n.toFixed(0)} | ${b.toFixed(0)} | ${(b / n).toFixed(2)} |`);
}
