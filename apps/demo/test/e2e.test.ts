/**
 * The demo in a real browser: Debian's Chromium driven by playwright-core against `vite preview` of the built
 * site (dist/, built by `npm test`'s turbo build or `pnpm --filter ./apps/demo build`).
 *
 * Without /usr/bin/chromium the suite is skipped with a printed reason, except in CI (CI=true), where that is a
 * failure. Screenshots go to test-artifacts/ (gitignored).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chirpToneBurst, createDefaultRegistry, createDstft } from '@dstft/dstft';
import { loadPffftPlugin } from '@dstft/fft-pffft';
import { decodeWav, encodeWav } from '@dstft/wav';
import type { DemoStatus } from '../src/main.js';

const here = dirname(fileURLToPath(import.meta.url));
/** A spoken "seven" (8 kHz, 0.43 s) from the Free Spoken Digit Dataset, CC BY-SA 4.0: see fixtures/README.md. */
const SPEECH = join(here, 'fixtures', '7_jackson_0.wav');
const appDir = join(here, '..');
const distDir = join(appDir, 'dist');
const artifacts = join(appDir, 'test-artifacts');
const CHROMIUM = process.env.DSTFT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skip = !haveChromium && !inCi;
if (skip) console.warn(`[demo e2e] SKIPPED: no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium; CI fails instead of skipping)`);

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer at ${url} within 20 s:\n${log()}`);
}

type Status = DemoStatus;
const demoStatus = (page: Page): Promise<Status> => page.evaluate(() => JSON.parse(JSON.stringify(window.__dstftDemo)) as Status);

/** Variance of the luminance of a canvas's pixels (0 for a blank or uniform canvas). */
const canvasVariance = (page: Page, id: string): Promise<number> =>
  page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId) as HTMLCanvasElement;
    if (!c.width || !c.height) return 0;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    let s2 = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      s += y;
      s2 += y * y;
    }
    return s2 / n - (s / n) ** 2;
  }, id);

/** Ids of the elements whose bounding box is not entirely inside the viewport. */
const outOfView = (page: Page, ids: string[]): Promise<string[]> =>
  page.evaluate((list) => {
    const out: string[] = [];
    for (const id of list) {
      const r = document.getElementById(id)!.getBoundingClientRect();
      if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) {
        out.push(`${id} [${r.left.toFixed(0)}, ${r.top.toFixed(0)}, ${r.right.toFixed(0)}, ${r.bottom.toFixed(0)}] in ${window.innerWidth}×${window.innerHeight}`);
      }
    }
    return out;
  }, ids);

/** Starts recording main-thread long tasks (PerformanceObserver 'longtask'); read them with `longTasks`. */
const watchLongTasks = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[]; __ltObserver?: PerformanceObserver };
    w.__ltObserver?.disconnect();
    w.__longTasks = [];
    w.__ltObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    });
    w.__ltObserver.observe({ type: 'longtask' });
  });
/** The durations of the long tasks that started between the performance marks `from` and `to`. */
const longTasks = (page: Page, from: string, to: string): Promise<number[]> =>
  page.evaluate(
    ([a, b]) => {
      const t0 = performance.getEntriesByName(a!, 'mark')[0]!.startTime;
      const t1 = performance.getEntriesByName(b!, 'mark')[0]!.startTime;
      return (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= t0 && t.start < t1).map((t) => t.duration);
    },
    [from, to],
  );

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
/** A main-thread task from a Chrome trace: its wall time and the CPU time the thread actually ran (ms). */
interface TracedTask {
  wallMs: number;
  cpuMs: number;
  /** The trace events inside it with the most CPU time (name wall/CPU ms), for a failure message. */
  inside: string;
}

/**
 * Records a Chrome trace (CDP Tracing) of the page while `during` runs, and returns the renderer main thread's
 * tasks of 50 ms or more of wall time, with the CPU time each took, that started between the performance marks
 * `from` and `to` (set by `during`: the trace's own start and end, and their flush, are left out). Wall time is
 * what a 'longtask' observer sees; on a loaded machine most of it can be time the thread waited for a CPU, which
 * the CPU time leaves out.
 */
async function traceMainThreadTasks(page: Page, from: string, to: string, during: () => Promise<void>): Promise<TracedTask[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-v8.gc,blink.user_timing', transferMode: 'ReportEvents' });
  try {
    await during();
  } finally {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const markTs = (name: string): number => {
    const m = events.find((e) => e.name === name);
    if (!m) throw new Error(`the trace has no performance mark ${name}`);
    return m.ts;
  };
  const t0 = markTs(from);
  const t1 = markTs(to);
  const onMain = events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`));
  return onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) >= 50_000 && e.ts + e.dur! > t0 && e.ts < t1)
    .map((task) => {
      const end = task.ts + task.dur!;
      const inside = onMain
        .filter((e) => e !== task && e.tid === task.tid && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.tdur ?? 0) >= 2000)
        .sort((a, b) => b.tdur! - a.tdur!)
        .slice(0, 8)
        .map((e) => `${e.name} ${(e.dur! / 1000).toFixed(0)}/${(e.tdur! / 1000).toFixed(0)}`)
        .join('; ');
      return { wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? task.dur!) / 1000, inside };
    });
}

/** Stops the running optimization and returns the page's measured latency (press to the worker's final answer). */
async function stopAndMeasure(page: Page): Promise<number> {
  await page.click('#stop');
  const s = await waitForState(page, ['done', 'error'], 20_000);
  expect(s.error).toBeNull();
  expect(s.stopReason).toBe('aborted');
  return s.stopLatencyMs!;
}

async function waitForState(page: Page, states: Status['state'][], timeout = 30_000): Promise<Status> {
  await page.waitForFunction((want: string[]) => want.includes(document.body.dataset.state ?? ''), states as string[], { timeout, polling: 50 });
  await page.waitForFunction(() => !window.__dstftDemo.drawPending, null, { timeout: 10_000, polling: 20 }); // one figure per frame
  return demoStatus(page);
}

/** Waits until the page has drawn the preview of the signal `id` (its runId moved past `afterRun`). */
async function waitForPreview(page: Page, id: string, afterRun: number): Promise<Status> {
  await page.waitForFunction(
    ([sig, run]) => {
      const s = window.__dstftDemo;
      return s.signal?.id === sig && s.runId > run && s.state === 'idle' && s.initialLoss !== null && !s.drawPending && (document.getElementById('before') as HTMLCanvasElement).width > 0;
    },
    [id, afterRun] as const,
    { timeout: 20_000, polling: 50 },
  );
  return demoStatus(page);
}

describe.skipIf(skip)('demo site in Chromium', () => {
  let server: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  let profile = '';
  let page: Page;
  let url = '';
  const pageErrors: string[] = [];
  /** Every WebAssembly file the page or its worker requested (pffft's is fetched only once pffft is chosen). */
  const wasmRequests: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'dstft-demo-e2e-'));

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get install -y chromium`);
    if (!existsSync(join(distDir, 'index.html'))) {
      throw new Error(`${distDir}/index.html is missing: build the site first (pnpm --filter ./apps/demo build, or npm test)`);
    }
    mkdirSync(artifacts, { recursive: true });
    const port = await freePort();
    const vite = join(appDir, 'node_modules', '.bin', 'vite');
    let out = '';
    server = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    server.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, server, () => out);
    profile = mkdtempSync(join(tmpdir(), 'dstft-demo-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: LAUNCH_ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    context.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('.wasm')) wasmRequests.push(r.url());
    });
    await page.goto(url);
    await waitForPreview(page, 'vi-a', 0);
  });

  afterAll(async () => {
    await context?.close();
    if (server?.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('loads with labelled controls and non-blank figures', async () => {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('select, input')].filter((el) => (el as HTMLInputElement).labels?.length === 0).map((el) => el.id),
    );
    expect(unlabelled).toEqual([]);
    for (const id of ['before', 'after', 'theta-plot', 'loss-plot']) expect(await canvasVariance(page, id), id).toBeGreaterThan(50);
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    await page.addScriptTag({ path: join(appDir, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
    });
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (violations.length) console.log(`[demo e2e] axe-core: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
    expect(bad).toEqual([]);
  });

  it('offers the FFT backends, fftjs by default, and loads no WebAssembly for it', async () => {
    const options = await page.$$eval('#fft option', (els) => els.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(options).toEqual([
      ['fftjs', 'fftjs (float64, exact)'],
      ['pffft', 'pffft (float32 WebAssembly, faster)'],
    ]);
    expect(await page.inputValue('#fft')).toBe('fftjs');
    expect(await page.evaluate(() => (document.getElementById('fft') as HTMLSelectElement).labels?.[0]?.textContent)).toBe('FFT');
    const s = await demoStatus(page);
    expect(s.fft).toEqual({ id: 'fftjs', precision: 'float64', used: true });
    expect(await page.textContent('#status')).toMatch(/FFT fftjs \(float64\)/);
    expect(wasmRequests).toEqual([]);
  });

  it('switches signals', async () => {
    let s = await demoStatus(page);
    await page.selectOption('#signal', 'chirp');
    s = await waitForPreview(page, 'chirp', s.runId);
    expect(s.signal).toMatchObject({ id: 'chirp', sampleRate: 8000, length: 8000 });
    expect(await page.inputValue('#nFft')).toBe('512');
    await page.selectOption('#signal', 'vibration');
    s = await waitForPreview(page, 'vibration', s.runId);
    expect(s.signal).toMatchObject({ id: 'vibration', sampleRate: 2000, length: 40000 });
    expect(await page.inputValue('#windowMode')).toBe('constant');
    expect(await canvasVariance(page, 'before')).toBeGreaterThan(50);
    await page.selectOption('#signal', 'vi-a');
    s = await waitForPreview(page, 'vi-a', s.runId);
    expect(await page.inputValue('#nFft')).toBe('1024');
    expect(await page.inputValue('#theta')).toBe('128');
  });

  it('runs the default optimization (started from the keyboard): loss down, θ moved, figures drawn', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(artifacts, 'desktop-before.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'horizontal overflow at phone width (px)').toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifacts, 'phone-before.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.focus('#iterations');
    await page.keyboard.press('Enter'); // submits the form: the "Optimize θ" button's action
    const s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(s.lossHistory.length).toBeGreaterThan(10);
    expect(s.loss!).toBeLessThan(s.initialLoss! - 0.5); // entropy 8.88 → ≈ 7.76 in Node
    expect(s.theta!.mean - s.thetaStart!.mean).toBeGreaterThan(100); // θ grew from 128 where the signal is stationary
    expect(s.reconstructionMaxError!).toBeLessThan(1e-6);
    for (const id of ['before', 'after', 'theta-plot', 'loss-plot']) expect(await canvasVariance(page, id), id).toBeGreaterThan(50);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(artifacts, 'desktop-after.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(artifacts, 'phone-after.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('exports the parameters as JSON that createDstft accepts, and the figure as PNG', async () => {
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const jsonPath = join(work, 'params.json');
    await json.saveAs(jsonPath);
    const options = JSON.parse(readFileSync(jsonPath, 'utf8')) as { nFft: number; theta: number[]; windowMode: string };
    expect(options).toMatchObject({ nFft: 1024, windowMode: 'time', hop: 64, sampleRate: 8000, signalLength: 8000, fft: 'fftjs' });
    const rebuilt = createDstft(options as Parameters<typeof createDstft>[0]);
    expect(Array.from(rebuilt.params.theta)).toEqual(options.theta);
    const s = await demoStatus(page);
    expect(options.theta.reduce((a, b) => a + b, 0) / options.theta.length).toBeCloseTo(s.theta!.mean, 6);

    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const pngPath = join(work, 'figure.png');
    await png.saveAs(pngPath);
    expect([...readFileSync(pngPath).subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);

    // the reconstruction (inverse DSTFT) as a WAV: the input signal up to a gain and 16-bit rounding
    const [wav] = await Promise.all([page.waitForEvent('download'), page.click('#download-wav')]);
    const wavPath = join(work, 'reconstructed.wav');
    await wav.saveAs(wavPath);
    const audio = decodeWav(readFileSync(wavPath), { name: 'reconstructed.wav' });
    expect(audio).toMatchObject({ sampleRate: 8000, frames: 8000 });
    const x = chirpToneBurst().samples;
    const y = audio.channels[0]!;
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let p = 0; p < x.length; p++) {
      xy += x[p]! * y[p]!;
      xx += x[p]! * x[p]!;
      yy += y[p]! * y[p]!;
    }
    expect(xy / Math.sqrt(xx * yy)).toBeGreaterThan(0.99999);
  });

  it('draws before and after on one colour scale, hatches the cut edge frames, reads out the cell under the pointer, and toggles A/B', async () => {
    const s = await demoStatus(page);
    expect(s.colorRange.before).not.toBeNull();
    expect(s.colorRange.after).toEqual(s.colorRange.before); // one dB reference (the max of both) for both panels
    expect(await page.getAttribute('#before', 'aria-label')).toMatch(/before optimization/);
    expect(await page.getAttribute('#after', 'aria-label')).toMatch(/after optimization/);
    expect(await page.textContent('#loss-readout')).toMatch(/entropy 8\.876 → 7\.\d+ \(lower is sharper\)/);
    expect(await page.textContent('#guide-signal')).toMatch(/two lines separate/);
    expect(await page.textContent('#guide-loss')).toMatch(/Lower is sharper/);
    expect(await page.getAttribute('label[for="theta"]', 'title')).toMatch(/θ \(theta\)/);

    // hover: the middle of the after panel's data area
    const box = (await page.locator('#after').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await page.waitForFunction(() => window.__dstftDemo.readout !== null, null, { timeout: 5_000 });
    const text = await page.textContent('#readout');
    expect(text).toMatch(/^after: t = 0\.\d{3} s, f = \d+ Hz, (−[\d.]+|0\.0) dB \(re the max of both\), θ = [\d.]+ samples$/);

    // A/B: the after panel shows the before picture while pressed
    const pixels = (id: string) => page.evaluate((cid) => {
      const c = document.getElementById(cid) as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]!) >>> 0;
      return `${c.width}x${c.height}:${h}`;
    }, id);
    expect(await pixels('after')).not.toBe(await pixels('before'));
    await page.click('#ab');
    await page.waitForFunction(() => window.__dstftDemo.abShowing === 'before');
    await page.waitForTimeout(100);
    expect(await pixels('after')).toBe(await pixels('before'));
    expect(await page.getAttribute('#ab', 'aria-pressed')).toBe('true');
    await page.click('#ab');
    await page.waitForTimeout(100);
    expect(await pixels('after')).not.toBe(await pixels('before'));
  });

  it('zooms and pans the time axis of both spectrograms, and shows a playback cursor', async () => {
    const box = (await page.locator('#after').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => window.__dstftDemo.view !== null && !window.__dstftDemo.drawPending, null, { timeout: 10_000, polling: 20 });
    let s = await demoStatus(page);
    const [a, b] = s.view!;
    expect(b - a).toBeLessThan(0.8); // of the 1 s signal
    expect(s.colorRange.after).toEqual(s.colorRange.before);
    // pan by dragging: the range moves, its width stays
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((a0) => window.__dstftDemo.view !== null && window.__dstftDemo.view[0] > a0 + 0.01 && !window.__dstftDemo.drawPending, a, { timeout: 10_000, polling: 20 });
    s = await demoStatus(page);
    expect(s.view![1] - s.view![0]).toBeCloseTo(b - a, 6);
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.52);
    const t = Number(/t = ([\d.]+) s/.exec((await page.textContent('#readout'))!)![1]);
    expect(t).toBeGreaterThanOrEqual(s.view![0] - 0.01);
    expect(t).toBeLessThanOrEqual(s.view![1] + 0.01);
    await page.dblclick('#after');
    await page.waitForFunction(() => window.__dstftDemo.view === null && !window.__dstftDemo.drawPending, null, { timeout: 10_000, polling: 20 });

    await page.click('#play-original');
    await page.waitForFunction(() => (window.__dstftDemo.playhead ?? 0) > 0.05, null, { timeout: 10_000, polling: 20 });
    expect(await page.isVisible('#cursor-after')).toBe(true);
    expect(await page.isVisible('#cursor-before')).toBe(true);
    await page.waitForFunction(() => window.__dstftDemo.playhead === null, null, { timeout: 10_000, polling: 50 });
    expect(await page.isHidden('#cursor-after')).toBe(true);
  });

  it('keeps the spectrograms and the Optimize button in view during and after a run (1280×800 and 390×844), with no long main-thread task', async () => {
    const ids = ['before', 'after', 'run', 'stop'];
    const report: string[] = [];
    for (const [width, height] of [[1280, 800], [390, 844]] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(150);
      expect(await outOfView(page, ids), `before a run at ${width}×${height}`).toEqual([]);
      await page.fill('#iterations', '40');
      await watchLongTasks(page);
      let s = await demoStatus(page);
      const traced = await traceMainThreadTasks(page, 'e2e-run-start', 'e2e-run-end', async () => {
        await page.evaluate(() => {
          performance.clearMarks(); // the marks of the run at the other size
          performance.mark('e2e-run-start');
        });
        await page.click('#run');
        await page.waitForFunction(() => window.__dstftDemo.state === 'running' && window.__dstftDemo.iteration >= 2, null, { timeout: 20_000, polling: 20 });
        expect(await outOfView(page, ids), `during a run at ${width}×${height}`).toEqual([]);
        // scrolled down to the controls, the pair and the buttons stay (sticky)
        await page.evaluate(() => window.scrollTo(0, 700));
        await page.waitForTimeout(50);
        expect(await outOfView(page, ids), `during a run, scrolled, at ${width}×${height}`).toEqual([]);
        s = await waitForState(page, ['done', 'error'], 60_000);
        await page.evaluate(() => performance.mark('e2e-run-end'));
      });
      expect(s.error).toBeNull();
      await page.waitForTimeout(100);
      expect(await outOfView(page, ids), `after a run at ${width}×${height}`).toEqual([]);
      const tasks = await longTasks(page, 'e2e-run-start', 'e2e-run-end');
      const longest = Math.max(0, ...tasks);
      const longestCpu = Math.max(0, ...traced.map((t) => t.cpuMs));
      const tracedText = traced.map((t) => `${t.wallMs.toFixed(0)}/${t.cpuMs.toFixed(0)}`).join(', ');
      const worst = traced.reduce<TracedTask | null>((w, t) => (!w || t.cpuMs > w.cpuMs ? t : w), null);
      report.push(
        `${width}×${height}: ${tasks.length} long tasks, longest ${longest.toFixed(0)} ms; traced wall/CPU ms [${tracedText}], ` +
          `most CPU in one task ${longestCpu.toFixed(0)} ms${worst ? ` (${worst.inside})` : ''} (longest figure drawing ${s.longestDrawMs.toFixed(0)} ms)`,
      );
      console.log(`[demo e2e] ${report[report.length - 1]}`);
      // The issue's bar is 100 ms. The page's own work per task, the CPU time of the main thread (Chrome trace), is
      // ≤ 25 ms: figures are drawn in a render worker, arrays are transferred, not cloned (a clone of a spectrogram
      // cost 5-13 ms and made the longest tasks). That is the bound held here, with room (50 ms). The wall time of
      // a task also counts the time the thread waits for a CPU, which on this shared 2-core machine (the suite runs
      // niced, load average 10-18) stretched tasks of 2-25 ms CPU to 60-250 ms; the wall bound is therefore looser.
      expect(longestCpu, `most main-thread CPU in one task while optimizing at ${width}×${height} (${tracedText}; the worst: ${worst?.inside})`).toBeLessThan(50);
      expect(longest, `longest main-thread task (wall) while optimizing at ${width}×${height}`).toBeLessThan(250);
    }
    console.log(`[demo e2e] main thread while optimizing: ${report.join('; ')}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.fill('#iterations', '100');
    await page.dispatchEvent('#iterations', 'change');
  });

  it('restores every setting and the signal from the shared address', async () => {
    let s = await demoStatus(page);
    await page.selectOption('#signal', 'chirp');
    s = await waitForPreview(page, 'chirp', s.runId);
    await page.selectOption('#loss', 'renyi');
    await page.fill('#regularizerWeight', '2e-6');
    await page.fill('#iterations', '7');
    await page.dispatchEvent('#iterations', 'change');
    await page.fill('#lr', '3.5');
    await page.dispatchEvent('#lr', 'change');
    await waitForPreview(page, 'chirp', s.runId);
    const shared = page.url();
    expect(shared).toMatch(/#signal=chirp&.*loss=renyi.*regularizerWeight=0\.000002.*lr=3\.5.*iterations=7/);
    const other = await context!.newPage();
    try {
      await other.goto(shared);
      await waitForPreview(other, 'chirp', 0);
      const values = await other.evaluate(() =>
        Object.fromEntries(['signal', 'windowMode', 'nFft', 'hop', 'positions', 'theta', 'window', 'fft', 'loss', 'regularizerWeight', 'lr', 'iterations'].map((id) => [id, (document.getElementById(id) as HTMLInputElement).value])),
      );
      expect(values).toEqual({ signal: 'chirp', windowMode: 'time', nFft: '512', hop: '16', positions: 'fixed', theta: '64', window: 'hann', fft: 'fftjs', loss: 'renyi', regularizerWeight: '0.000002', lr: '3.5', iterations: '7' });
      expect(other.url()).toBe(shared);
    } finally {
      await other.close();
    }
    s = await demoStatus(page);
    await page.selectOption('#signal', 'vi-a');
    await waitForPreview(page, 'vi-a', s.runId);
  });

  it('stops a running optimization', async () => {
    let s = await demoStatus(page);
    await page.fill('#iterations', '100000');
    await page.click('#run');
    await page.waitForFunction(() => window.__dstftDemo.state === 'running' && window.__dstftDemo.iteration >= 3, null, { timeout: 20_000, polling: 20 });
    const latencies: string[] = [];
    const timeMode = await stopAndMeasure(page);
    latencies.push(`θ per frame (VI-A, nFft 1024): ${timeMode.toFixed(0)} ms`);
    s = await demoStatus(page);
    expect(s.lossHistory.length).toBeLessThan(100000);
    expect(timeMode).toBeLessThan(200);
    // θ per TF cell at nFft 1024: an iteration takes about a second (a DFT per window), so Stop lands mid-iteration
    for (const [mode, nFft, theta] of [['constant', '1024', '128'], ['time-frequency', '256', '128'], ['time-frequency', '1024', '128']] as const) {
      await page.selectOption('#windowMode', mode);
      await page.selectOption('#nFft', nFft);
      await page.fill('#theta', theta);
      await page.click('#run');
      await page.waitForFunction(() => window.__dstftDemo.state === 'running' && window.__dstftDemo.iteration >= 2, null, { timeout: 60_000, polling: 20 });
      const ms = await stopAndMeasure(page);
      latencies.push(`${mode} (VI-A, nFft ${nFft}): ${ms.toFixed(0)} ms`);
      expect(ms, `Stop latency, ${mode}`).toBeLessThan(200);
    }
    console.log(`[demo e2e] Stop latency: ${latencies.join('; ')}`);
    await page.selectOption('#signal', 'chirp'); // back to a signal's own settings
    s = await waitForPreview(page, 'chirp', s.runId);
    await page.selectOption('#signal', 'vi-a');
    await waitForPreview(page, 'vi-a', s.runId);
    await page.fill('#iterations', '100');
  });

  it('derives working defaults for a real speech recording: nothing uncovered, entropy lower at the end', async () => {
    const before = await demoStatus(page);
    await page.setInputFiles('#wav-file', SPEECH);
    let s = await waitForPreview(page, 'file', before.runId);
    expect(s.signal).toMatchObject({ id: 'file', label: '7_jackson_0.wav', sampleRate: 8000, length: 3457 });
    const settings = await page.evaluate(() => ['windowMode', 'nFft', 'hop', 'theta', 'regularizerWeight'].map((id) => (document.getElementById(id) as HTMLInputElement).value));
    expect(settings).toEqual(['time', '512', '32', '128', '0.00003']);
    expect(await page.textContent('#guide-signal')).toMatch(/Speech/);
    await page.click('#run');
    s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.stopReason).not.toBe('aborted');
    expect(s.uncovered).toBe(0);
    expect(s.loss!).toBeLessThan(s.initialLoss!);
    expect(s.theta!.min).toBeGreaterThanOrEqual(64); // θ ≥ 2·hop
    expect(s.reconstructionMaxError!).toBeLessThan(1e-9);
    expect(await page.isEnabled('#play-reconstructed')).toBe(true);
    expect(await page.isHidden('#recon-note')).toBe(true);
    console.log(`[demo e2e] speech (FSDD 7_jackson_0.wav, defaults): entropy ${s.initialLoss!.toFixed(4)} → ${s.loss!.toFixed(4)} in ${s.lossHistory.length - 1} iterations, θ ${s.theta!.min.toFixed(0)}…${s.theta!.max.toFixed(0)}, uncovered ${s.uncovered}`);
    await page.screenshot({ path: join(artifacts, 'desktop-speech.png') });

    // a constant θ shorter than the hop leaves samples uncovered: the reconstruction buttons say so
    await page.selectOption('#windowMode', 'constant');
    await page.fill('#hop', '128');
    await page.fill('#theta', '64');
    await page.fill('#iterations', '1');
    await page.fill('#lr', '0.001');
    await page.click('#run');
    s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.uncovered!).toBeGreaterThan(0);
    expect(await page.isDisabled('#play-reconstructed')).toBe(true);
    expect(await page.isDisabled('#download-wav')).toBe(true);
    expect(await page.textContent('#recon-note')).toMatch(/Reconstruction unavailable: \d+ samples are not covered/);
  });

  it('accepts a WAV file', async () => {
    const fs = 16000;
    const n = fs / 2;
    const left = new Float64Array(n);
    const right = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      left[p] = 0.5 * Math.sin((2 * Math.PI * 440 * p) / fs);
      right[p] = 0.3 * Math.sin((2 * Math.PI * 1500 * p) / fs);
    }
    const wavPath = join(work, 'two-tones.wav');
    writeFileSync(wavPath, encodeWav([left, right], fs));
    const before = await demoStatus(page);
    await page.setInputFiles('#wav-file', wavPath);
    const s = await waitForPreview(page, 'file', before.runId);
    expect(s.signal).toMatchObject({ id: 'file', label: 'two-tones.wav', sampleRate: fs, length: n });
    expect(s.error).toBeNull();
    expect(await page.textContent('#signal-description')).toMatch(/16-bit PCM.*mixed down/);
    expect(await canvasVariance(page, 'before')).toBeGreaterThan(50);
  });

  it('shows an error for a malformed file and stays usable', async () => {
    const badPath = join(work, 'broken.wav');
    writeFileSync(badPath, Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk, not audio', 'latin1'));
    await page.setInputFiles('#wav-file', badPath);
    await page.waitForFunction(() => window.__dstftDemo.error !== null, null, { timeout: 10_000 });
    const error = page.locator('#error');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/WAV file "broken\.wav": .*Fix: /);
    const s0 = await demoStatus(page);
    expect(s0.signal?.label).toBe('two-tones.wav'); // the previous signal stays loaded
    await page.screenshot({ path: join(artifacts, 'desktop-error.png') });
    await page.selectOption('#signal', 'vi-b');
    const s = await waitForPreview(page, 'vi-b', s0.runId);
    expect(s.error).toBeNull();
    expect(await error.isHidden()).toBe(true);
  });

  it('reports a bad setting in the page instead of failing silently', async () => {
    const s0 = await demoStatus(page);
    await page.fill('#hop', '0');
    await page.click('#run');
    await page.waitForFunction(() => window.__dstftDemo.error !== null, null, { timeout: 10_000 });
    expect(await page.locator('#error').textContent()).toMatch(/hop = 0/);
    const s1 = await demoStatus(page);
    expect(s1.runs).toBe(s0.runs); // nothing was started
    expect(s1.state).toBe('error');
    await page.fill('#hop', '32');
    await page.dispatchEvent('#hop', 'change');
    await waitForPreview(page, 'vi-b', s0.runId);
    expect(pageErrors).toEqual([]);
  });

  it('learns the frame positions too on the VI-B signal (coverage penalty): no sample uncovered', async () => {
    let s = await demoStatus(page);
    await page.selectOption('#signal', 'vi-b');
    s = await waitForPreview(page, 'vi-b', s.runId);
    await page.selectOption('#positions', 'learned');
    await page.fill('#iterations', '15');
    await page.click('#run');
    s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.loss!).toBeLessThan(s.initialLoss!);
    expect(s.uncovered).toBe(0);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const jsonPath = join(work, 'params-positions.json');
    await json.saveAs(jsonPath);
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toMatchObject({ positionsMode: 'time' });
    await page.selectOption('#positions', 'fixed');
    await page.fill('#iterations', '100');
    await page.dispatchEvent('#iterations', 'change');
    await waitForPreview(page, 'vi-b', s.runId);
  });

  it('runs a TF-varying θ and draws its map', async () => {
    const s0 = await demoStatus(page);
    await page.selectOption('#windowMode', 'time-frequency');
    await page.selectOption('#nFft', '256');
    await page.fill('#theta', '128');
    await page.fill('#iterations', '4');
    await page.selectOption('#loss', 'shannon');
    await page.fill('#lr', '10');
    await page.fill('#regularizerWeight', '1e-7');
    await page.click('#run');
    const s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.runs).toBe(s0.runs + 1);
    expect(s.lossHistory.length).toBe(5); // the start and 4 iterations
    expect(s.theta!.max).toBeGreaterThan(s.theta!.min); // a map, not one value
    expect(await page.textContent('#theta-caption')).toMatch(/time-frequency cell/);
    expect(await canvasVariance(page, 'theta-plot')).toBeGreaterThan(50);
    expect(pageErrors).toEqual([]);
  });

  it('optimizes with the pffft backend (float32 WebAssembly, loaded on demand) and records it in the exported JSON', async () => {
    let s = await demoStatus(page);
    await page.selectOption('#signal', 'vi-a'); // the VI-A start settings: θ = 128 per frame, N = 1024, hop 64
    s = await waitForPreview(page, 'vi-a', s.runId);
    expect(s.fft?.id).toBe('fftjs');
    expect(wasmRequests).toEqual([]); // nothing so far has paid for the wasm
    await page.selectOption('#fft', 'pffft'); // a change: the worker loads the backend and previews with it
    await page.waitForFunction(() => window.__dstftDemo.fft?.id === 'pffft' && window.__dstftDemo.state === 'idle', null, { timeout: 30_000, polling: 50 });
    s = await demoStatus(page);
    expect(s.fft).toEqual({ id: 'pffft', precision: 'float32', used: true });
    expect(wasmRequests.length).toBe(1);
    expect(wasmRequests[0]).toMatch(/pffft[^/]*\.wasm$/);
    expect(await page.textContent('#status')).toMatch(/FFT pffft \(float32\)/);

    await page.fill('#iterations', '15');
    await page.click('#run');
    s = await waitForState(page, ['done', 'error'], 60_000);
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(s.lossHistory.length).toBe(16); // the start and 15 iterations
    for (const v of [s.theta!.mean, s.theta!.min, s.theta!.max, s.loss!]) expect(Number.isFinite(v)).toBe(true);
    expect(s.loss!).toBeLessThan(s.initialLoss!);
    expect(s.theta!.mean).toBeGreaterThan(s.thetaStart!.mean); // θ grows from 128 on VI-A, as with fftjs
    expect(s.reconstructionMaxError!).toBeLessThan(1e-4); // float32 FFTs: ≈ 1e-7, not the 1e-15 of float64
    expect(s.fft?.id).toBe('pffft');
    expect(await page.textContent('#status')).toMatch(/^Done after 15 iterations.*FFT pffft \(float32\)/);

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const jsonPath = join(work, 'params-pffft.json');
    await json.saveAs(jsonPath);
    const options = JSON.parse(readFileSync(jsonPath, 'utf8')) as Parameters<typeof createDstft>[0] & { theta: number[] };
    expect(options).toMatchObject({ fft: 'pffft', nFft: 1024, windowMode: 'time', hop: 64 });
    expect(options.theta.every((t) => Number.isFinite(t))).toBe(true);
    // a float32 configuration is not rebuilt silently in float64: it needs the backend's plugin
    expect(() => createDstft(options)).toThrow(/pffft/);
    const rebuilt = createDstft(options, { registry: createDefaultRegistry().use(await loadPffftPlugin()) });
    expect(rebuilt.plan.fftBackend.id).toBe('pffft');
    expect(Array.from(rebuilt.params.theta)).toEqual(options.theta);

    // the choice survives a change of signal; switching back to fftjs reuses nothing of pffft
    await page.selectOption('#signal', 'chirp');
    s = await waitForPreview(page, 'chirp', s.runId);
    expect(await page.inputValue('#fft')).toBe('pffft');
    expect(s.fft?.id).toBe('pffft');
    await page.selectOption('#fft', 'fftjs');
    await page.waitForFunction(() => window.__dstftDemo.fft?.id === 'fftjs' && window.__dstftDemo.state === 'idle', null, { timeout: 20_000, polling: 50 });
    s = await demoStatus(page);
    expect(s.fft).toEqual({ id: 'fftjs', precision: 'float64', used: true });
    expect(wasmRequests.length).toBe(1); // loaded once
    expect(pageErrors).toEqual([]);
  });

  it('shows a rolling spectrogram of the microphone (Chromium fake capture of the speech fixture) and optimizes the last seconds', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...LAUNCH_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${SPEECH}`],
    });
    try {
      const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(url);
      await waitForPreview(p, 'vi-a', 0);
      await p.click('#mic');
      await p.waitForFunction(() => window.__dstftDemo.micUpdates >= 3 && window.__dstftDemo.signal?.id === 'mic', null, { timeout: 20_000, polling: 50 });
      let s = await demoStatus(p);
      expect(s.error).toBeNull();
      expect(s.mic).toBe(true);
      expect(s.signal!.sampleRate).toBeGreaterThanOrEqual(8000);
      expect(s.signal!.length).toBe(Math.round(2 * s.signal!.sampleRate));
      await p.waitForFunction(() => !window.__dstftDemo.drawPending && window.__dstftDemo.state === 'idle', null, { timeout: 10_000, polling: 20 });
      expect(await canvasVariance(p, 'before')).toBeGreaterThan(50);
      await p.screenshot({ path: join(artifacts, 'desktop-mic.png') });
      await p.click('#mic'); // stop: the last 2 s stay the signal
      await p.waitForFunction(() => !window.__dstftDemo.mic, null, { timeout: 5_000 });
      await p.fill('#iterations', '10');
      await p.click('#run');
      s = await waitForState(p, ['done', 'error'], 60_000);
      expect(s.error).toBeNull();
      expect(s.signal?.id).toBe('mic');
      expect(s.lossHistory.length).toBe(11);
      expect(s.loss!).toBeLessThanOrEqual(s.initialLoss!); // the best seen (10 steps need not beat the start on 2 s of looped speech)
      expect(s.uncovered).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
