// The page's main-thread long tasks while optimizing, per signal and window mode, at desktop and phone sizes, in
// headless Chromium against the built site (dist/). Each run: a 'longtask' PerformanceObserver (wall time, what a
// visitor feels) and, with --trace, a Chrome trace of the run that gives each long task's CPU time (the page's own
// work; on a loaded machine the rest is the thread waiting for a CPU) and what it spent it on.
//
// Usage (after `pnpm --filter ./apps/demo build`):
//   node bench/longtasks.mjs [--trace] [--profile] [--cases vi-a,vibration:constant,path/to/file.wav]
//                            [--sizes 1280x800,390x844] [--iterations 40] [--dist dir]
// A case is a built-in signal id or a WAV file, optionally `:constant`, `:time` or `:time-frequency` (nFft 256,
// 6 iterations); without a mode the signal's own settings. --profile adds a JavaScript CPU profile (self time per
// function; build with `vite build --minify false --outDir dir` and pass --dist dir for readable names).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const TRACE = process.argv.includes('--trace');
const PROFILE = process.argv.includes('--profile');
const CASES = arg('cases', 'vi-a,vi-b,vibration,chirp,vi-a:constant,vi-a:time-frequency').split(',');
const SIZES = arg('sizes', '1280x800,390x844')
  .split(',')
  .map((s) => s.split('x').map(Number));
const ITERATIONS = arg('iterations', '40');
const DIST = resolve(arg('dist', join(appDir, 'dist')));
const CHROMIUM = process.env.DSTFT_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: build the site first (pnpm --filter ./apps/demo build)`);
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);

const port = await new Promise((ok, fail) => {
  const srv = createServer();
  srv.once('error', fail);
  srv.listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => ok(p));
  });
});
const server = spawn(join(appDir, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', DIST], { cwd: appDir, stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    if (i > 200) throw new Error(`vite preview did not answer at ${url}`);
  }
  await new Promise((r) => setTimeout(r, 100));
}

const profileDir = mkdtempSync(join(tmpdir(), 'dstft-longtasks-'));
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: SIZES[0][0], height: SIZES[0][1] },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__dstftDemo?.state === 'idle' && !window.__dstftDemo.drawPending, null, { timeout: 30_000 });
  const cdp = await context.newCDPSession(page);
  const runId = () => page.evaluate(() => window.__dstftDemo.runId);
  const settled = (after) =>
    page.waitForFunction((r) => window.__dstftDemo.runId > r && ['idle', 'done'].includes(window.__dstftDemo.state) && !window.__dstftDemo.drawPending, after, { timeout: 60_000, polling: 50 });
  /** Changes a control and waits for the new preview. */
  const change = async (act) => {
    const r = await runId();
    await act();
    await settled(r);
  };

  console.log(`| size | case | iterations | run (ms) | long tasks | longest (ms) | traced wall/CPU (ms) |\n|---|---|---|---|---|---|---|`);
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    for (const c of CASES) {
      const [signal, mode] = c.split(':');
      const isFile = /\.wav$/i.test(signal);
      await change(() => (isFile ? page.setInputFiles('#wav-file', resolve(signal)) : page.selectOption('#signal', signal)));
      if (mode) await change(() => page.selectOption('#windowMode', mode));
      if (mode === 'time-frequency') await change(() => page.selectOption('#nFft', '256'));
      await page.fill('#iterations', mode === 'time-frequency' ? '6' : ITERATIONS);
      await change(() => page.dispatchEvent('#iterations', 'change'));
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        window.__lt?.disconnect();
        window.__longTasks = [];
        window.__lt = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push(e.duration);
        });
        window.__lt.observe({ type: 'longtask' });
      });
      const events = [];
      if (TRACE) {
        cdp.removeAllListeners('Tracing.dataCollected');
        cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
        await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-v8.gc,blink.user_timing', transferMode: 'ReportEvents' });
      }
      if (PROFILE) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.evaluate(() => {
        performance.clearMarks();
        performance.mark('bench-run-start');
      });
      const t0 = Date.now();
      await page.click('#run');
      await page.waitForFunction(() => ['done', 'error'].includes(window.__dstftDemo.state) && !window.__dstftDemo.drawPending, null, { timeout: 300_000, polling: 50 });
      const runMs = Date.now() - t0;
      await page.evaluate(() => performance.mark('bench-run-end'));
      const longTasks = await page.evaluate(() => window.__longTasks.slice());
      const st = await page.evaluate(() => ({ iteration: window.__dstftDemo.iteration, error: window.__dstftDemo.error }));
      let profileText = '';
      if (PROFILE) {
        const { profile } = await cdp.send('Profiler.stop');
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const self = new Map();
        profile.samples.forEach((id, i) => {
          const f = byId.get(id).callFrame;
          const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
          self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
        });
        profileText = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join('; ');
      }
      let traced = [];
      if (TRACE) {
        const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
        await cdp.send('Tracing.end');
        await complete;
        traced = mainThreadTasks(events);
      }
      const sorted = longTasks.sort((a, b) => b - a);
      const tracedText = traced.map((t) => `${t.wall.toFixed(0)}/${t.cpu.toFixed(0)}`).join(', ');
      console.log(`| ${width}×${height} | ${c} | ${st.iteration} | ${runMs} | ${sorted.length} | ${(sorted[0] ?? 0).toFixed(0)} | ${tracedText}${st.error ? ` error: ${st.error}` : ''} |`);
      for (const t of traced.filter((x) => x.cpu >= 10)) console.log(`  task ${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU: ${t.inside}`);
      if (profileText) console.log(`  JavaScript self time (ms): ${profileText}`);
    }
  }
} finally {
  await context.close();
  server.kill('SIGTERM');
  rmSync(profileDir, { recursive: true, force: true });
}

/** The renderer main thread's tasks of ≥ 50 ms wall time between the run's marks, with CPU time and contents. */
function mainThreadTasks(events) {
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const mark = (name) => events.find((e) => e.name === name)?.ts ?? NaN;
  const t0 = mark('bench-run-start');
  const t1 = mark('bench-run-end');
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  return onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur >= 50_000 && e.ts + e.dur > t0 && e.ts < t1)
    .map((task) => {
      const end = task.ts + task.dur;
      const inside = onMain
        .filter((e) => e !== task && e.tid === task.tid && e.ts >= task.ts && e.ts + e.dur <= end && (e.tdur ?? 0) >= 2000)
        .sort((a, b) => b.tdur - a.tdur)
        .slice(0, 10)
        .map((e) => `${e.name}${e.args?.data?.functionName ? ` ${e.args.data.functionName}` : ''} ${(e.dur / 1000).toFixed(0)}/${(e.tdur / 1000).toFixed(0)}`)
        .join('; ');
      return { wall: task.dur / 1000, cpu: (task.tdur ?? task.dur) / 1000, inside };
    });
}
