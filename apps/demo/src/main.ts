/**
 * The page: controls, the worker conversation, figures drawn with @dstft/plot into canvases, audio, exports.
 * State the browser tests read is mirrored in `window.__dstftDemo` and `document.body.dataset`.
 */
import './style.css';
import { createDefaultRegistry } from '@dstft/dstft';
import { encodePng, hstack, vstack, type Figure, type Image } from '@dstft/plot';
import type { RenderJob, RenderReply } from './render-worker.js';
import { loadWavFile, wavBytes } from './audio-file.js';
import { playSignal, playbackPosition } from './audio.js';
import type { FftInfo, FromWorker, SpecData, ThetaData, ToWorker } from './protocol.js';
import { FFT_BACKENDS, NFFT_CHOICES, POSITION_MODES, WINDOW_MODES, parseSettings, settingsForRecording, type DemoSettings } from './settings.js';
import { decodeShare, encodeShare } from './share.js';
import { SIGNALS, settingsFor, type DemoSignal } from './signals.js';

interface Stats {
  mean: number;
  min: number;
  max: number;
}

/** What the page exposes for tests and the curious (read-only snapshot semantics). */
export interface DemoStatus {
  state: 'loading' | 'idle' | 'running' | 'done' | 'error';
  signal: { id: string; label: string; sampleRate: number; length: number } | null;
  runId: number;
  /** Optimizations started so far. */
  runs: number;
  iteration: number;
  initialLoss: number | null;
  loss: number | null;
  lossHistory: number[];
  thetaStart: Stats | null;
  theta: Stats | null;
  stopReason: string | null;
  wallTimeMs: number | null;
  reconstructionMaxError: number | null;
  /** The FFT backend of the last transform built (preview or run): id, precision, whether its path uses an FFT. */
  fft: FftInfo | null;
  error: string | null;
  notice: string | null;
  /** The colour scale of the two spectrograms in dB [bottom, top]: one reference (the max of both) for both. */
  colorRange: { before: [number, number] | null; after: [number, number] | null };
  /** What the after panel shows: 'after', or 'before' while the A/B toggle is pressed. */
  abShowing: 'before' | 'after';
  /** The hover readout's last text (time, frequency, dB, θ of the cell under the pointer). */
  readout: string | null;
  /** Samples no window covers at the learned θ (the reconstruction buttons are disabled when > 0). */
  uncovered: number | null;
  /** Milliseconds from pressing Stop to the worker's final answer. */
  stopLatencyMs: number | null;
  /** Figures still waiting to be drawn (one is drawn per animation frame). */
  drawPending: boolean;
  /** The longest single figure update (drawn in the render worker, then put on its canvas), in ms, since the run started. */
  longestDrawMs: number;
  /** The zoomed time range of the spectrograms in seconds, or null (the whole signal). */
  view: [number, number] | null;
  /** The microphone is live, and how many rolling updates it has made. */
  mic: boolean;
  micUpdates: number;
  /** Seconds into the sound playing (the cursor's time), or null. */
  playhead: number | null;
  benchResults?: unknown;
}

declare global {
  interface Window {
    __dstftDemo: DemoStatus & { bench(): Promise<unknown> };
  }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const form = $<HTMLFormElement>('controls');
const signalSelect = $<HTMLSelectElement>('signal');
const signalDescription = $('signal-description');
const fileInput = $<HTMLInputElement>('wav-file');
const dropZone = $('drop-zone');
const statusEl = $('status');
const errorEl = $('error');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const constantButton = $<HTMLButtonElement>('constant-optimum');
const resetButton = $<HTMLButtonElement>('reset');
const playOriginal = $<HTMLButtonElement>('play-original');
const playReconstructed = $<HTMLButtonElement>('play-reconstructed');
const downloadWav = $<HTMLButtonElement>('download-wav');
const exportPng = $<HTMLButtonElement>('export-png');
const exportJson = $<HTMLButtonElement>('export-json');
const canvases = {
  before: $<HTMLCanvasElement>('before'),
  after: $<HTMLCanvasElement>('after'),
  theta: $<HTMLCanvasElement>('theta-plot'),
  loss: $<HTMLCanvasElement>('loss-plot'),
};
const thetaCaption = $('theta-caption');
const abButton = $<HTMLButtonElement>('ab');
const afterCaption = $('after-caption');
const readoutEl = $('readout');
const lossReadout = $('loss-readout');
const guideSignal = $('guide-signal');
const guideLoss = $('guide-loss');
const lossCaption = $('loss-caption');
const reconNote = $('recon-note');
const copyLink = $<HTMLButtonElement>('copy-link');

const FIELDS = ['windowMode', 'nFft', 'hop', 'positions', 'theta', 'window', 'fft', 'loss', 'regularizerWeight', 'lr', 'iterations'] as const satisfies readonly (keyof DemoSettings)[];
const field = (name: keyof DemoSettings) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

const status: DemoStatus = {
  state: 'loading',
  signal: null,
  runId: 0,
  runs: 0,
  iteration: 0,
  initialLoss: null,
  loss: null,
  lossHistory: [],
  thetaStart: null,
  theta: null,
  stopReason: null,
  wallTimeMs: null,
  reconstructionMaxError: null,
  fft: null,
  error: null,
  notice: null,
  colorRange: { before: null, after: null },
  abShowing: 'after',
  readout: null,
  uncovered: null,
  stopLatencyMs: null,
  drawPending: false,
  longestDrawMs: 0,
  view: null,
  mic: false,
  micUpdates: 0,
  playhead: null,
};

// ---------------------------------------------------------------- controls

function fillSelect(select: HTMLSelectElement, options: readonly { value: string; label: string }[]): void {
  select.replaceChildren(
    ...options.map((o) => {
      const opt = document.createElement('option');
      opt.value = o.value;
      opt.textContent = o.label;
      return opt;
    }),
  );
}

const registry = createDefaultRegistry();
fillSelect(signalSelect, [
  ...SIGNALS.map((s) => ({ value: s.id, label: s.label })),
  { value: 'file', label: 'WAV file (drop or choose below)' },
  { value: 'mic', label: 'Microphone (button below)' },
]);
signalSelect.querySelector<HTMLOptionElement>('option[value="file"]')!.disabled = true;
signalSelect.querySelector<HTMLOptionElement>('option[value="mic"]')!.disabled = true;
fillSelect(field('windowMode') as HTMLSelectElement, WINDOW_MODES.map((m) => ({ value: m.id, label: m.label })));
fillSelect(field('positions') as HTMLSelectElement, POSITION_MODES.map((m) => ({ value: m.id, label: m.label })));
fillSelect(field('nFft') as HTMLSelectElement, NFFT_CHOICES.map((n) => ({ value: String(n), label: String(n) })));
fillSelect(
  field('window') as HTMLSelectElement,
  registry.list('window').map((w) => ({ value: w.id, label: (w as { continuousInTheta?: boolean }).continuousInTheta === false ? `${w.id} (jumps in θ)` : w.id })),
);
fillSelect(field('fft') as HTMLSelectElement, FFT_BACKENDS.map((b) => ({ value: b.id, label: b.label })));
fillSelect(field('loss') as HTMLSelectElement, registry.ids('loss').map((id) => ({ value: id, label: id === 'kurtosis' ? 'kurtosis (maximized)' : `${id} entropy` })));

function writeSettings(s: DemoSettings): void {
  for (const name of FIELDS) field(name).value = String(s[name]);
}

function readSettings(): DemoSettings {
  const raw = {} as Record<keyof DemoSettings, string>;
  for (const name of FIELDS) raw[name] = field(name).value;
  return parseSettings(raw);
}

// ---------------------------------------------------------------- state, status, errors

interface Current {
  id: string;
  label: string;
  signal: DemoSignal;
}
let current: Current;
let reconstructed: Float64Array | null = null;
let params: unknown = null;
let runId = 0;
let running = false;

function publish(): void {
  document.body.dataset.state = status.state;
  document.body.dataset.iteration = String(status.iteration);
  if (status.loss !== null) document.body.dataset.loss = String(status.loss);
  if (status.initialLoss !== null) document.body.dataset.initialLoss = String(status.initialLoss);
}

function setStatus(text: string): void {
  statusEl.textContent = text;
}

function showError(message: string | null): void {
  status.error = message;
  errorEl.hidden = message === null;
  errorEl.textContent = message ?? '';
  if (message !== null) {
    status.state = 'error';
    publish();
    (errorEl.parentElement ?? errorEl).scrollIntoView({ block: 'nearest' });
  }
}

function setRunning(on: boolean): void {
  running = on;
  runButton.disabled = on;
  stopButton.disabled = !on;
  constantButton.disabled = on;
  resetButton.disabled = on;
  for (const name of FIELDS) field(name).disabled = on;
  signalSelect.disabled = on;
  fileInput.disabled = on;
}

function stats(a: Float64Array): Stats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { mean: sum / a.length, min, max };
}

const fmt = (v: number, digits = 4): string => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(digits));
const fmtFft = (f: FftInfo): string => (f.used ? `FFT ${f.id} (${f.precision})` : `FFT ${f.id} (unused: this window mode sums a DFT in float64)`);
const fmtTheta = (s: Stats): string => (s.min === s.max ? `θ = ${s.mean.toFixed(1)}` : `θ mean ${s.mean.toFixed(1)} (${s.min.toFixed(1)} to ${s.max.toFixed(1)})`);

// ---------------------------------------------------------------- figures

const figures: { before: Figure | null; after: Figure | null; theta: Image | null; loss: Image | null } = { before: null, after: null, theta: null, loss: null };
const pending: { theta?: ThetaData; loss?: boolean } = {};
let thetaHistory: number[] = [];

/** Figure size in pixels and text scale: drawn at about twice the displayed size, so text stays legible. */
const FIG_W = 800;
const FIG_H = 440;
const FONT = 2;

const renderer = new Worker(new URL('./render-worker.ts', import.meta.url), { type: 'module' });
const renderWaiting = new Map<number, { resolve: (f: Figure) => void; reject: (e: Error) => void }>();
let renderSeq = 0;
renderer.onmessage = (event: MessageEvent<RenderReply>) => {
  const r = event.data;
  const w = renderWaiting.get(r.id);
  renderWaiting.delete(r.id);
  if (!w) return;
  if ('error' in r) w.reject(new Error(r.error));
  else w.resolve(r.figure);
};
/**
 * A figure drawn by the render worker (off the main thread). `transfer` lists the buffers of the job's arrays that
 * the page gives away: a structured clone of a spectrogram (≈ 1 MB) costs the main thread 5-10 ms of CPU (the
 * largest share of its work while optimizing, measured with a Chrome trace); a copy by `slice()` and a transfer
 * cost a fraction of a millisecond.
 */
function remote(job: RenderJob, transfer: ArrayBuffer[] = []): Promise<Figure> {
  const id = ++renderSeq;
  return new Promise((resolve, reject) => {
    renderWaiting.set(id, { resolve, reject });
    renderer.postMessage({ ...job, id }, transfer);
  });
}
/** A copy of `a` whose buffer goes on `transfer` (the page keeps `a` for the hover readout and redraws). */
function given(a: Float64Array, transfer: ArrayBuffer[]): Float64Array {
  const c = a.slice();
  transfer.push(c.buffer);
  return c;
}
/**
 * The spectrogram of `d` for the render worker: the worker's spare copy when it is still there (no copy on the
 * main thread: for a 5 s recording at 44.1 kHz `slice()` there took ~50 ms of wall time under load), else a copy.
 */
function givenSpec(d: SpecData, transfer: ArrayBuffer[]): Float64Array {
  const spare = d.spare;
  if (spare && spare.length === d.spec.length) {
    d.spare = undefined;
    transfer.push(spare.buffer as ArrayBuffer);
    return spare;
  }
  return given(d.spec, transfer);
}
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function draw(canvas: HTMLCanvasElement, img: Image): void {
  // resizing a canvas clears it and invalidates layout: only when the size changes (the image covers it all)
  if (canvas.width !== img.width) canvas.width = img.width;
  if (canvas.height !== img.height) canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas context');
  ctx.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
}

/**
 * Width in pixels of the spectrogram figures: about twice the displayed width (so that the bitmap text, at scale
 * 2, shows at about 12 px), within [360, FIG_W]. A phone's side-by-side panels get small figures with legible text.
 */
function specWidth(): number {
  const shown = canvases.before.clientWidth || FIG_W / 2;
  return Math.max(360, Math.min(FIG_W, Math.round((2 * shown) / 40) * 40));
}
let drawnSpecWidth = 0;
/** θ in a spectrogram's title: in full, or only the mean when the figure is narrow (a phone). */
const specTitle = (t: Stats): string => (specWidth() >= 600 || t.min === t.max ? fmtTheta(t) : `θ mean ${t.mean.toFixed(0)}`);

function specFigure(d: SpecData, title: string, vmax: number): Promise<Figure> {
  const w = specWidth();
  drawnSpecWidth = w;
  // flatter on a phone, where the two panels are stacked
  const h = Math.round(w * (window.innerWidth <= 700 ? 0.45 : FIG_H / FIG_W));
  const transfer: ArrayBuffer[] = [];
  const spec = givenSpec(d, transfer);
  return remote({ fn: 'spectrogram', args: [spec, { freqs: d.freqs, frames: d.frames, times: d.times, frequencies: d.frequencies, title, maxWidth: w, maxHeight: h, fontScale: FONT, vmax }] }, transfer);
}

// a new layout (window resized, phone turned) redraws the pair at the size it is shown
window.addEventListener('resize', () => {
  if (drawnSpecWidth && specWidth() !== drawnSpecWidth) {
    needBefore = true;
    needAfter = true;
    status.drawPending = true;
    requestFrame();
  }
});

/** θ of frame n (the largest over the bins when θ varies with frequency). */
function thetaOfFrame(t: ThetaData, n: number): number {
  if (t.cols === 1) return t.theta[0]!;
  let m = -Infinity;
  for (let r = 0; r < t.rows; r++) m = Math.max(m, t.theta[r * t.cols + n]!);
  return m;
}

let hatch: CanvasPattern | null = null;
/**
 * Hatches the frames whose window (θ_n samples centred on t_n) reaches past the start or the end of the signal:
 * their spectrum is partly the cut, and would otherwise look like a broadband event.
 */
function drawEdges(canvas: HTMLCanvasElement, fig: Figure, d: SpecData, t: ThetaData | null): number {
  if (!t || d.frames !== (t.cols === 1 ? d.frames : t.cols)) return 0;
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  if (!hatch) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 12;
    const c = tile.getContext('2d')!;
    c.fillStyle = 'rgba(255,255,255,0.30)';
    c.fillRect(0, 0, 12, 12);
    c.strokeStyle = 'rgba(255,255,255,0.85)';
    c.lineWidth = 2;
    c.beginPath();
    c.moveTo(0, 12);
    c.lineTo(12, 0);
    c.moveTo(-3, 3);
    c.lineTo(3, -3);
    c.moveTo(9, 15);
    c.lineTo(15, 9);
    c.stroke();
    hatch = ctx.createPattern(tile, 'repeat');
  }
  const fs = current.signal.sampleRate;
  const last = current.signal.samples.length - 1;
  const { plot } = fig;
  const toX = (sec: number): number => plot.x + ((sec - plot.xMin) / (plot.xMax - plot.xMin)) * plot.width;
  const T = d.frames;
  let cut = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.width, plot.height);
  ctx.clip();
  ctx.fillStyle = hatch ?? 'rgba(255,255,255,0.4)';
  for (let n = 0; n < T; n++) {
    const c = d.times[n]! * fs;
    const half = thetaOfFrame(t, n) / 2;
    if (c - half >= 0 && c + half <= last) continue;
    cut++;
    const lo = n > 0 ? (d.times[n - 1]! + d.times[n]!) / 2 : plot.xMin;
    const hi = n + 1 < T ? (d.times[n]! + d.times[n + 1]!) / 2 : plot.xMax;
    const x0 = Math.floor(toX(lo));
    const x1 = Math.ceil(toX(hi));
    ctx.fillRect(x0, plot.y, Math.max(1, x1 - x0), plot.height);
  }
  ctx.restore();
  return cut;
}

function thetaFigure(t: ThetaData, times: Float64Array | undefined, frequencies: Float64Array | undefined): Promise<Figure> {
  if (t.rows === 1 && t.cols === 1) {
    const x = thetaHistory.map((_, i) => i);
    return remote({ fn: 'line', args: [[{ x, y: thetaHistory.slice(), label: 'θ', marker: thetaHistory.length < 30 ? 'circle' : 'none' }], {
      title: `θ = ${t.theta[0]!.toFixed(1)} samples`, xLabel: 'iteration', yLabel: 'θ (samples)', width: FIG_W, height: FIG_H, legend: 'none', fontScale: FONT,
    }] });
  }
  const s = stats(t.theta);
  const title = t.rows === 1 ? `θ per frame (mean ${s.mean.toFixed(0)})` : `θ per bin and frame (mean ${s.mean.toFixed(0)})`;
  const transfer: ArrayBuffer[] = [];
  return remote({ fn: 'map', args: [given(t.theta, transfer), t.rows, t.cols, {
    ...(times && times.length === t.cols ? { times } : {}),
    ...(frequencies && frequencies.length === t.rows && t.rows > 1 ? { frequencies } : {}),
    title, maxWidth: FIG_W, maxHeight: FIG_H, width: FIG_W, height: FIG_H, fontScale: FONT,
  }] } as unknown as RenderJob, transfer);
}

function lossFigure(): Promise<Figure> {
  const y = status.lossHistory.slice();
  const x = y.map((_, i) => i);
  const name = lossName();
  return remote({ fn: 'line', args: [[{ x, y, label: 'loss', marker: y.length < 30 ? 'circle' : 'none' }], {
    title: y.length ? `${name} ${fmt(y[y.length - 1]!)} (lower is sharper)` : name, xLabel: 'iteration', yLabel: name, width: FIG_W, height: FIG_H, legend: 'none', fontScale: FONT,
  }] });
}

let lastAfter: SpecData | null = null;
let lastBefore: SpecData | null = null;
/** θ at the start (for the before panel) and now (after panel), for the edge hatching and the hover readout. */
let thetaBefore: ThetaData | null = null;
let thetaNow: ThetaData | null = null;
let beforeMax = -Infinity;
let afterMax = -Infinity;
let drawnRef = NaN;
let needBefore = false;
let needAfter = false;
let abShowBefore = false;

function lossName(): string {
  const l = (field('loss') as HTMLSelectElement).value;
  return l === 'kurtosis' ? '−kurtosis' : `${l} entropy`;
}

/** The time range shown by both spectrograms (seconds), or null for the whole signal. */
let view: [number, number] | null = null;

/** The frames of `d` (and the columns of θ) inside the zoomed time range. */
function crop(d: SpecData, t: ThetaData | null): { d: SpecData; t: ThetaData | null } {
  if (!view) return { d, t };
  let a = 0;
  while (a < d.frames - 1 && d.times[a]! < view[0]) a++;
  let b = d.frames;
  while (b > a + 1 && d.times[b - 1]! > view[1]) b--;
  if (b - a < 2) b = Math.min(d.frames, a + 2);
  const frames = b - a;
  const spec = new Float64Array(d.freqs * frames);
  for (let k = 0; k < d.freqs; k++) spec.set(d.spec.subarray(k * d.frames + a, k * d.frames + b), k * frames);
  const dv: SpecData = { spec, freqs: d.freqs, frames, times: d.times.slice(a, b), frequencies: d.frequencies, maxDb: d.maxDb };
  if (!t || t.cols === 1) return { d: dv, t };
  const theta = new Float64Array(t.rows * frames);
  for (let r = 0; r < t.rows; r++) theta.set(t.theta.subarray(r * t.cols + a, r * t.cols + b), r * frames);
  return { d: dv, t: { theta, rows: t.rows, cols: frames } };
}

async function renderBefore(): Promise<void> {
  if (!lastBefore) return;
  const { d, t } = crop(lastBefore, thetaBefore);
  const fig = await specFigure(d, `before: ${status.thetaStart ? specTitle(status.thetaStart) : ''}`, drawnRef);
  await nextFrame();
  figures.before = fig;
  draw(canvases.before, fig);
  drawEdges(canvases.before, fig, d, t);
  status.colorRange.before = [fig.colorbar!.vmin, fig.colorbar!.vmax];
  beforeShown = { d, t };
  if (abShowBefore) needAfter = true;
}
/** What the before panel shows (for A/B and the hover readout). */
let beforeShown: { d: SpecData; t: ThetaData | null } | null = null;
let afterShown: { d: SpecData; t: ThetaData | null } | null = null;

async function renderAfter(): Promise<void> {
  if (!lastAfter) return;
  const { d, t } = crop(lastAfter, thetaNow);
  if (abShowBefore && figures.before && beforeShown) {
    await nextFrame();
    draw(canvases.after, figures.before);
    drawEdges(canvases.after, figures.before, beforeShown.d, beforeShown.t);
    return;
  }
  const fig = await specFigure(d, `after: ${status.theta ? specTitle(status.theta) : ''}`, drawnRef);
  await nextFrame();
  figures.after = fig;
  if (abShowBefore) return; // toggled while drawing: the next pass shows the before picture
  draw(canvases.after, fig);
  drawEdges(canvases.after, fig, d, t);
  afterShown = { d, t };
  status.colorRange.after = [fig.colorbar!.vmin, fig.colorbar!.vmax];
}

function scheduleRender(update: { before?: SpecData; after?: SpecData; theta?: ThetaData; loss?: boolean; ab?: boolean }): void {
  if (update.before) {
    lastBefore = update.before;
    beforeMax = update.before.maxDb;
    afterMax = -Infinity;
    needBefore = true;
  }
  if (update.after) {
    lastAfter = update.after;
    afterMax = Math.max(afterMax, update.after.maxDb);
    needAfter = true;
  }
  if (update.ab) needAfter = true;
  // one colour scale for both panels: dB relative to the max of both, rounded up to a 6 dB step so that a
  // growing peak during a run does not redraw the before panel at every update
  const ref = Math.ceil(Math.max(beforeMax, afterMax) / 6) * 6;
  if (ref !== drawnRef) {
    drawnRef = ref;
    needBefore = lastBefore !== null;
    needAfter = lastAfter !== null;
  }
  if (update.theta) pending.theta = update.theta;
  if (update.loss) pending.loss = true;
  status.drawPending = true;
  requestFrame();
}

let pumping = false;
/** Draws what is pending, one figure at a time (drawn by the render worker, put on its canvas in a frame). */
function requestFrame(): void {
  if (pumping) return;
  pumping = true;
  void pump();
}

async function pump(): Promise<void> {
  try {
    for (;;) {
      const t0 = performance.now();
      if (needBefore) {
        needBefore = false;
        await renderBefore();
      } else if (needAfter) {
        needAfter = false;
        await renderAfter();
      } else if (pending.theta) {
        const t = pending.theta;
        delete pending.theta;
        const axes = lastAfter ?? lastBefore;
        const fig = await thetaFigure(t, axes?.times, axes?.frequencies);
        await nextFrame();
        thetaCaption.textContent =
          t.rows * t.cols === 1
            ? 'θ per iteration (one window length for the whole signal)'
            : t.rows === 1
              ? 'θ per frame: the learned window length along time'
              : 'θ per time-frequency cell: the learned window-length map';
        figures.theta = fig;
        draw(canvases.theta, fig);
      } else if (pending.loss) {
        delete pending.loss;
        const fig = await lossFigure();
        await nextFrame();
        figures.loss = fig;
        draw(canvases.loss, fig);
      } else break;
      status.longestDrawMs = Math.max(status.longestDrawMs, performance.now() - t0);
    }
  } catch (e) {
    showError(`Drawing failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  pumping = false;
  status.drawPending = false;
}

// ---------------------------------------------------------------- worker

let worker = createWorker();

function createWorker(): Worker {
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<FromWorker>) => onWorkerMessage(event.data);
  w.onerror = (event) => {
    event.preventDefault();
    setRunning(false);
    showError(`The worker failed: ${event.message || 'unknown error'}. Reload the page to try again.`);
  };
  return w;
}

/** Posts to the optimization worker; the signal goes as a transferred copy (a clone of a long recording is slower). */
function send(message: ToWorker): void {
  const transfer: ArrayBuffer[] = [];
  worker.postMessage('samples' in message ? { ...message, samples: given(message.samples, transfer) } : message, transfer);
}

let benchResolve: ((v: unknown) => void) | null = null;

function onWorkerMessage(m: FromWorker): void {
  if (m.type === 'bench') {
    status.benchResults = m.results;
    benchResolve?.(m.results);
    return;
  }
  if (m.runId !== runId) return; // a stale answer
  switch (m.type) {
    case 'preview': {
      previewAnswered = m.runId;
      status.initialLoss = m.loss;
      status.loss = m.loss;
      status.lossHistory = [m.loss];
      status.thetaStart = stats(m.theta.theta);
      status.theta = status.thetaStart;
      thetaHistory = [m.theta.theta[0]!];
      thetaBefore = m.theta;
      thetaNow = m.theta;
      view = null;
      status.view = null;
      status.readout = null;
      readoutEl.textContent = 'Point at a spectrogram to read time, frequency, level and θ; wheel to zoom in time, drag to pan, double-click for the whole signal.';
      status.fft = m.fft;
      updateLossText();
      if (!running) {
        status.state = 'idle';
        setStatus(`${current.label}: ${current.signal.samples.length} samples at ${current.signal.sampleRate} Hz; loss ${fmt(m.loss)} at the start θ; ${fmtFft(m.fft)}. Press “Optimize θ”.`);
      }
      publish();
      scheduleRender({ before: m.before, after: m.before, theta: m.theta, loss: true });
      return;
    }
    case 'progress': {
      iterationMs = m.elapsedMs - lastElapsedMs;
      lastElapsedMs = m.elapsedMs;
      status.iteration = m.iteration;
      status.loss = m.loss;
      status.lossHistory.push(m.loss);
      status.theta = stats(m.theta.theta);
      thetaHistory.push(m.theta.theta[0]!);
      thetaNow = m.theta;
      updateLossText();
      setStatus(`Iteration ${m.iteration}: loss ${fmt(m.loss)}, ${fmtTheta(status.theta)} (${(m.elapsedMs / 1000).toFixed(1)} s)`);
      publish();
      scheduleRender({ theta: m.theta, loss: true, ...(m.after ? { after: m.after } : {}) });
      return;
    }
    case 'done': {
      if (stopTimer !== null) clearTimeout(stopTimer);
      stopTimer = null;
      setRunning(false);
      status.state = 'done';
      status.initialLoss = m.initialLoss;
      status.loss = m.loss;
      status.stopReason = m.stopReason;
      status.wallTimeMs = m.wallTimeMs;
      status.theta = stats(m.theta.theta);
      status.reconstructionMaxError = m.maxError;
      status.fft = m.fft;
      reconstructed = m.reconstructed;
      params = m.params;
      thetaNow = m.theta;
      status.uncovered = m.uncovered;
      if (stopPressedAt !== null) {
        status.stopLatencyMs = performance.now() - stopPressedAt;
        stopPressedAt = null;
      }
      updateLossText();
      for (const b of [exportPng, exportJson]) b.disabled = false;
      // the reconstruction is offered only when every sample is covered by a window: otherwise it would be
      // silent (or wrong) where no window reaches, and the buttons say why instead
      const covered = m.uncovered === 0;
      for (const b of [playReconstructed, downloadWav]) {
        b.disabled = !covered;
        b.title = covered ? '' : `${m.uncovered} samples are not covered by any window at the learned θ`;
      }
      reconNote.hidden = covered;
      reconNote.textContent = covered
        ? ''
        : `Reconstruction unavailable: ${m.uncovered} samples are not covered by any window at the learned θ (the windows are shorter than the gaps between frames). Lower the hop, raise the start θ, or learn θ per frame (which keeps θ ≥ 2·hop).`;
      setStatus(
        `${m.stopReason === 'aborted' ? 'Stopped' : 'Done'} after ${m.iterations} iterations in ${(m.wallTimeMs / 1000).toFixed(2)} s: ` +
          `loss ${fmt(m.initialLoss)} → ${fmt(m.loss)} (best), ${fmtTheta(status.theta)}; ${fmtFft(m.fft)}. ` +
          `Inverse DSTFT: max error ${m.maxError.toExponential(1)}${m.uncovered ? `, ${m.uncovered} samples not covered by any window` : ''}.`,
      );
      publish();
      scheduleRender({ after: m.after, theta: m.theta, loss: true });
      return;
    }
    case 'constant-optimum': {
      constantButton.disabled = false;
      setRunning(false);
      field('theta').value = m.theta.toFixed(1);
      setStatus(`Best constant θ = ${m.theta.toFixed(1)} samples (loss ${fmt(m.loss)}, ${m.transforms} transforms, ${(m.wallTimeMs / 1000).toFixed(2)} s): now the start θ.`);
      preview();
      return;
    }
    case 'error': {
      setRunning(false);
      showError(`${m.error.message}${m.error.code ? ` (${m.error.code})` : ''}`);
      setStatus('Change the settings and try again.');
      return;
    }
  }
}

// ---------------------------------------------------------------- actions

function clearResults(): void {
  reconstructed = null;
  params = null;
  status.iteration = 0;
  status.stopReason = null;
  status.wallTimeMs = null;
  status.reconstructionMaxError = null;
  status.uncovered = null;
  reconNote.hidden = true;
  for (const b of [playReconstructed, downloadWav, exportPng, exportJson]) b.disabled = true;
}

/** The loss in words next to the picture: entropy (lower is sharper) or kurtosis as peakedness (higher is better). */
function updateLossText(): void {
  const l = (field('loss') as HTMLSelectElement).value;
  const a = status.initialLoss;
  const b = status.loss;
  if (l === 'kurtosis') {
    guideLoss.textContent =
      'The loss measures sharpness as peakedness (kurtosis): how much the energy piles up in a few bright cells instead of spreading. Higher is sharper; the optimizer minimizes its negative.';
    lossReadout.textContent = a !== null && b !== null ? `peakedness ${fmt(-a, 2)} → ${fmt(-b, 2)} (higher is sharper)` : '';
  } else {
    guideLoss.textContent = `The loss measures sharpness as the ${l === 'renyi' ? 'Rényi' : 'Shannon'} entropy of the spectrogram: how spread out its energy is. Lower is sharper: energy concentrated in thin lines and short strokes.`;
    lossReadout.textContent = a !== null && b !== null ? `entropy ${fmt(a, 3)} → ${fmt(b, 3)} (lower is sharper)` : '';
  }
  lossCaption.textContent = l === 'kurtosis' ? 'Loss per iteration: −kurtosis (lower is more peaked)' : 'Loss per iteration: entropy (lower is sharper)';
}

const FILE_GUIDE =
  'A recording. Speech is steady inside vowels (a long θ sharpens their harmonics into lines) and changes fast at onsets and consonants (a short θ keeps them crisp): watch θ per frame follow it. The smoothness term λ keeps θ from jumping between neighbouring frames.';

/** Reads the settings (showing their error, if any), clears the results and opens a new run id; null on a bad setting. */
function beginRun(): DemoSettings | null {
  let settings: DemoSettings;
  try {
    settings = readSettings();
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return null;
  }
  showError(null);
  clearResults();
  runId += 1;
  status.runId = runId;
  return settings;
}

/** Recomputes the "before" view (the start θ) for the current signal and settings. */
function preview(): void {
  const settings = beginRun();
  if (!settings) return;
  setStatus(`Computing the spectrogram of ${current.label} at the start θ…`);
  history.replaceState(null, '', encodeShare(current.id, settings));
  send({ type: 'preview', runId, samples: current.signal.samples, sampleRate: current.signal.sampleRate, settings });
}

function start(): void {
  if (mic) void stopMic(); // optimize the last seconds heard
  const settings = beginRun();
  if (!settings) return;
  status.runs += 1;
  status.longestDrawMs = 0;
  status.state = 'running';
  status.iteration = 0;
  publish();
  setRunning(true);
  iterationMs = 0;
  lastElapsedMs = 0;
  setStatus('Optimizing…');
  send({ type: 'start', runId, samples: current.signal.samples, sampleRate: current.signal.sampleRate, settings });
}

let stopPressedAt: number | null = null;
let stopTimer: ReturnType<typeof setTimeout> | null = null;
/**
 * How long Stop waits for the worker's own answer. The worker checks for Stop between iterations, but one
 * iteration of a TF-varying θ can take most of a second (a DFT per window): past this grace period the worker is
 * terminated and a fresh one started, so Stop always acts at once.
 */
const STOP_GRACE_MS = 100;
/** The worker's time for its last iteration (from the progress messages), and its clock at that message. */
let iterationMs = 0;
let lastElapsedMs = 0;

function forceStop(): void {
  stopTimer = null;
  if (!running) return;
  worker.terminate();
  worker = createWorker();
  runId += 1; // anything the old worker still had in flight is stale
  status.runId = runId;
  setRunning(false);
  status.state = 'done';
  status.stopReason = 'aborted';
  status.uncovered = null;
  if (stopPressedAt !== null) status.stopLatencyMs = performance.now() - stopPressedAt;
  stopPressedAt = null;
  for (const b of [playReconstructed, downloadWav, exportPng, exportJson]) b.disabled = true;
  reconNote.hidden = false;
  reconNote.textContent =
    'Stopped in the middle of an iteration (the worker was restarted so that Stop acts at once): the figures show θ after the last finished iteration; the reconstruction and the exports need a run that ends by itself.';
  setStatus(`Stopped after ${status.iteration} iterations: loss ${status.initialLoss !== null ? fmt(status.initialLoss) : '?'} → ${status.loss !== null ? fmt(status.loss) : '?'}${status.theta ? `, ${fmtTheta(status.theta)}` : ''}.`);
  publish();
}

/** Stop: measured from the press (the event's time stamp, so a busy page's input delay counts too). */
function stop(event?: Event): void {
  if (!running) return;
  stopPressedAt = event && event.timeStamp > 0 ? Math.min(event.timeStamp, performance.now()) : performance.now();
  if (stopTimer !== null) clearTimeout(stopTimer);
  // iterations known to be longer than the grace period (θ per TF cell at a large nFft): no answer can come in
  // time, so the worker is restarted at once instead of after the grace period
  if (iterationMs > STOP_GRACE_MS) {
    forceStop();
    return;
  }
  stopTimer = setTimeout(forceStop, STOP_GRACE_MS);
  send({ type: 'stop', runId });
  setStatus('Stopping…');
}

function useSignal(id: string, label: string, signal: DemoSignal, settings: DemoSettings | null): void {
  current = { id, label, signal };
  status.signal = { id, label, sampleRate: signal.sampleRate, length: signal.samples.length };
  // a signal brings its own start settings, but the FFT backend stays the visitor's choice
  if (settings) writeSettings({ ...settings, fft: field('fft').value as DemoSettings['fft'] });
  preview();
}

function chooseBuiltin(id: string, overrides: Partial<Record<keyof DemoSettings, string>> = {}): void {
  const entry = SIGNALS.find((s) => s.id === id);
  if (!entry) return;
  if (mic) void stopMic();
  signalSelect.value = entry.id;
  signalDescription.textContent = entry.description;
  guideSignal.textContent = entry.guide;
  status.notice = null;
  try {
    const s = settingsFor(entry);
    if (Object.keys(overrides).length) {
      // a shared address: its settings over the signal's own (the FFT included); the form checks them on preview
      writeSettings(s);
      for (const [k, v] of Object.entries(overrides)) field(k as keyof DemoSettings).value = v;
      useSignal(entry.id, entry.label, entry.make(), null);
      return;
    }
    useSignal(entry.id, entry.label, entry.make(), s);
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
  }
}

async function chooseFile(file: File): Promise<void> {
  try {
    const { signal, notice } = await loadWavFile(file);
    if (mic) await stopMic();
    status.notice = notice;
    signalSelect.value = 'file';
    signalDescription.textContent = notice;
    guideSignal.textContent = FILE_GUIDE;
    // start settings derived from the file's sample rate and length (nFft ≈ 64 ms, θ per frame, smoothness on)
    useSignal('file', file.name, signal, settingsForRecording(signal.sampleRate, signal.samples.length));
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    setStatus(`Could not use ${file.name}; the previous signal (${current.label}) is still loaded.`);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
stopButton.addEventListener('click', stop);
resetButton.addEventListener('click', () => {
  const entry = SIGNALS.find((s) => s.id === current.id);
  writeSettings(entry ? settingsFor(entry) : settingsForRecording(current.signal.sampleRate, current.signal.samples.length));
  preview();
});
constantButton.addEventListener('click', () => {
  let settings: DemoSettings;
  try {
    settings = readSettings();
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  showError(null);
  runId += 1;
  status.runId = runId;
  setRunning(true);
  stopButton.disabled = true;
  setStatus('Searching the best constant θ (scan, then L-BFGS in the best basins)…');
  send({ type: 'constant-optimum', runId, samples: current.signal.samples, sampleRate: current.signal.sampleRate, settings });
});
signalSelect.addEventListener('change', () => chooseBuiltin(signalSelect.value));
for (const name of FIELDS) field(name).addEventListener('change', () => preview());
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void chooseFile(file);
  fileInput.value = '';
});
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('over');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file && !running) void chooseFile(file);
});

function download(bytes: Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const baseName = (): string => `dstft-${current.id === 'file' ? current.label.replace(/\.[^.]*$/, '').replace(/[^\w-]+/g, '_') : current.id}`;

exportPng.addEventListener('click', () => {
  const { before, after, theta, loss } = figures;
  if (!before || !after || !theta || !loss) return;
  const img = vstack([hstack([before, after], { gap: 16 }), hstack([theta, loss], { gap: 16 })], { gap: 16 });
  download(encodePng(img), `${baseName()}.png`, 'image/png');
});
exportJson.addEventListener('click', () => {
  if (!params) return;
  download(new TextEncoder().encode(`${JSON.stringify(params, null, 2)}\n`), `${baseName()}.json`, 'application/json');
});
downloadWav.addEventListener('click', () => {
  if (!reconstructed) return;
  try {
    download(wavBytes(reconstructed, current.signal.sampleRate), `${baseName()}-reconstructed.wav`, 'audio/wav');
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
  }
});
/** The playback cursor: a line over both spectrograms at the time being played, moved every animation frame. */
const cursors = { before: $('cursor-before'), after: $('cursor-after') };
function moveCursors(): void {
  const t = playbackPosition();
  status.playhead = t;
  for (const which of ['before', 'after'] as const) {
    const el = cursors[which];
    const fig = which === 'before' || abShowBefore ? figures.before : figures.after;
    const canvas = canvases[which];
    if (t === null || !fig || t < fig.plot.xMin || t > fig.plot.xMax || !canvas.width) {
      el.hidden = true;
      continue;
    }
    const sx = canvas.clientWidth / canvas.width;
    const sy = canvas.clientHeight / canvas.height;
    el.hidden = false;
    el.style.left = `${canvas.offsetLeft + (fig.plot.x + ((t - fig.plot.xMin) / (fig.plot.xMax - fig.plot.xMin)) * fig.plot.width) * sx}px`;
    el.style.top = `${canvas.offsetTop + fig.plot.y * sy}px`;
    el.style.height = `${fig.plot.height * sy}px`;
  }
  if (t !== null) requestAnimationFrame(moveCursors);
}
const play = (x: Float64Array | null, what: string) => {
  if (!x) return;
  playSignal(x, current.signal.sampleRate).then(
    (note) => {
      setStatus(`Playing the ${what} signal${note}.`);
      requestAnimationFrame(moveCursors);
    },
    (e: unknown) => showError(`Audio playback failed: ${e instanceof Error ? e.message : String(e)}`),
  );
};
playOriginal.addEventListener('click', () => play(current.signal.samples, 'original'));
playReconstructed.addEventListener('click', () => play(reconstructed, 'reconstructed'));

window.addEventListener('unhandledrejection', (event) => showError(`Unexpected error: ${String(event.reason)}`));
window.addEventListener('error', (event) => showError(`Unexpected error: ${event.message}`));

window.__dstftDemo = Object.assign(status, {
  bench(): Promise<unknown> {
    return new Promise((resolve) => {
      benchResolve = resolve;
      send({ type: 'bench', runId: 0 });
    });
  },
});

// ---------------------------------------------------------------- A/B, hover readout, shared address

abButton.addEventListener('click', () => {
  abShowBefore = !abShowBefore;
  status.abShowing = abShowBefore ? 'before' : 'after';
  abButton.setAttribute('aria-pressed', String(abShowBefore));
  abButton.textContent = abShowBefore ? 'A/B: showing before' : 'A/B: show before';
  afterCaption.textContent = abShowBefore ? 'Showing BEFORE in this panel (press A/B again for after)' : 'After: the learned θ (updates live)';
  canvases.after.setAttribute('aria-label', abShowBefore ? 'Spectrogram before optimization (A/B toggle pressed)' : 'Spectrogram after optimization, at the learned window length θ');
  scheduleRender({ ab: true });
});

/** The cell under the pointer: time, frequency, level in dB (re the shared reference) and θ there. */
function readoutAt(which: 'before' | 'after', event: MouseEvent): string | null {
  const showingBefore = which === 'before' || abShowBefore;
  const fig = showingBefore ? figures.before : figures.after;
  const shown = showingBefore ? beforeShown : afterShown;
  const d = shown?.d;
  const t = shown?.t ?? null;
  const canvas = canvases[which];
  if (!fig || !d) return null;
  const r = canvas.getBoundingClientRect();
  const px = ((event.clientX - r.left) / r.width) * canvas.width;
  const py = ((event.clientY - r.top) / r.height) * canvas.height;
  const { plot } = fig;
  if (px < plot.x || px >= plot.x + plot.width || py < plot.y || py >= plot.y + plot.height) return null;
  const sec = plot.xMin + ((px - plot.x) / plot.width) * (plot.xMax - plot.xMin);
  const hz = plot.yMax - ((py - plot.y) / plot.height) * (plot.yMax - plot.yMin);
  const nearest = (a: Float64Array, v: number): number => {
    let best = 0;
    for (let i = 1; i < a.length; i++) if (Math.abs(a[i]! - v) < Math.abs(a[best]! - v)) best = i;
    return best;
  };
  const n = nearest(d.times, sec);
  const k = nearest(d.frequencies, hz);
  const mag = d.spec[k * d.frames + n]!;
  const db = mag > 0 ? 20 * Math.log10(mag) - Math.max(beforeMax, afterMax) : -Infinity;
  const th = !t ? NaN : t.rows * t.cols === 1 ? t.theta[0]! : t.rows === 1 ? t.theta[n]! : t.theta[k * t.cols + n]!;
  const dbText = Number.isFinite(db) ? `${db.toFixed(1).replace('-', '−')} dB` : '−∞ dB';
  return `${showingBefore ? 'before' : 'after'}: t = ${d.times[n]!.toFixed(3)} s, f = ${d.frequencies[k]!.toFixed(0)} Hz, ${dbText} (re the max of both), θ = ${th.toFixed(1)} samples`;
}
for (const which of ['before', 'after'] as const) {
  canvases[which].addEventListener('mousemove', (event) => {
    const text = readoutAt(which, event);
    if (text === null) return;
    status.readout = text;
    readoutEl.textContent = text;
  });
}

/** Zoom (wheel) and pan (drag) on the time axis of both spectrograms; a double click shows the whole signal. */
function setView(v: [number, number] | null): void {
  const full = lastBefore ? ([lastBefore.times[0]!, lastBefore.times[lastBefore.frames - 1]!] as [number, number]) : null;
  if (v && full) {
    const width = Math.min(full[1] - full[0], Math.max(v[1] - v[0], 8 * (full[1] - full[0]) / Math.max(1, lastBefore!.frames)));
    let lo = Math.max(full[0], Math.min(v[0], full[1] - width));
    if (lo + width > full[1]) lo = full[1] - width;
    v = width >= full[1] - full[0] ? null : [lo, lo + width];
  }
  view = v;
  status.view = v;
  needBefore = true;
  needAfter = true;
  status.drawPending = true;
  requestFrame();
}
function timeAt(which: 'before' | 'after', clientX: number): number | null {
  const fig = which === 'before' || abShowBefore ? figures.before : figures.after;
  if (!fig) return null;
  const canvas = canvases[which];
  const r = canvas.getBoundingClientRect();
  const px = ((clientX - r.left) / r.width) * canvas.width;
  return fig.plot.xMin + ((px - fig.plot.x) / fig.plot.width) * (fig.plot.xMax - fig.plot.xMin);
}
let drag: { x: number; view: [number, number]; secPerPx: number } | null = null;
for (const which of ['before', 'after'] as const) {
  const canvas = canvases[which];
  canvas.addEventListener(
    'wheel',
    (event) => {
      const fig = figures[which];
      const at = timeAt(which, event.clientX);
      if (!fig || at === null || !lastBefore) return;
      event.preventDefault();
      const cur = view ?? [fig.plot.xMin, fig.plot.xMax];
      const f = event.deltaY < 0 ? 1 / 1.5 : 1.5;
      setView([at - (at - cur[0]) * f, at + (cur[1] - at) * f]);
    },
    { passive: false },
  );
  canvas.addEventListener('mousedown', (event) => {
    const fig = figures[which];
    if (!fig || !view) return;
    const r = canvas.getBoundingClientRect();
    drag = { x: event.clientX, view, secPerPx: ((fig.plot.xMax - fig.plot.xMin) / fig.plot.width) * (canvas.width / r.width) };
  });
  canvas.addEventListener('dblclick', () => setView(null));
}
window.addEventListener('mousemove', (event) => {
  if (!drag) return;
  const dt = (drag.x - event.clientX) * drag.secPerPx;
  setView([drag.view[0] + dt, drag.view[1] + dt]);
});
window.addEventListener('mouseup', () => (drag = null));

// ---------------------------------------------------------------- microphone

/**
 * Live input: getUserMedia → an AudioWorklet that hands every 128-sample block to the page → a ring buffer of the
 * last MIC_SECONDS (decimated to about 16 kHz by block averaging) → the worker's preview of that buffer every
 * MIC_INTERVAL_MS once the previous one is drawn: a rolling spectrogram. Stopping the microphone (or pressing
 * Optimize) keeps the last seconds as the signal, to optimize like any other.
 */
const MIC_SECONDS = 2;
const MIC_INTERVAL_MS = 400;
const TAP_WORKLET = `class DstftTap extends AudioWorkletProcessor {
  process(inputs) { const ch = inputs[0] && inputs[0][0]; if (ch) this.port.postMessage(ch.slice(0)); return true; }
}
registerProcessor('dstft-tap', DstftTap);`;
const micButton = $<HTMLButtonElement>('mic');
let previewAnswered = -1;
let mic: { ctx: AudioContext; stream: MediaStream; timer: ReturnType<typeof setInterval> } | null = null;

async function startMic(): Promise<void> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser gives no microphone access (getUserMedia)');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const ctx = new AudioContext();
  const url = URL.createObjectURL(new Blob([TAP_WORKLET], { type: 'text/javascript' }));
  await ctx.audioWorklet.addModule(url);
  URL.revokeObjectURL(url);
  const node = new AudioWorkletNode(ctx, 'dstft-tap');
  const mute = ctx.createGain();
  mute.gain.value = 0;
  ctx.createMediaStreamSource(stream).connect(node);
  node.connect(mute).connect(ctx.destination); // pulled by the destination, silent
  const factor = Math.max(1, Math.floor(ctx.sampleRate / 16000));
  const rate = ctx.sampleRate / factor;
  const n = Math.round(MIC_SECONDS * rate);
  const ring = new Float64Array(n);
  let pos = 0;
  let total = 0;
  let acc = 0;
  let accN = 0;
  node.port.onmessage = (event: MessageEvent<Float32Array>) => {
    const b = event.data;
    for (let i = 0; i < b.length; i++) {
      acc += b[i]!;
      if (++accN === factor) {
        ring[pos] = acc / factor;
        pos = (pos + 1) % n;
        total++;
        acc = 0;
        accN = 0;
      }
    }
  };
  let first = true;
  const timer = setInterval(() => {
    if (running || total < n / 4 || previewAnswered !== runId || status.drawPending) return;
    const x = new Float64Array(n);
    x.set(ring.subarray(pos));
    x.set(ring.subarray(0, pos), n - pos);
    status.micUpdates += 1;
    signalSelect.value = 'mic';
    signalDescription.textContent = `Microphone: the last ${MIC_SECONDS} s at ${rate} Hz${factor > 1 ? ` (${ctx.sampleRate} Hz averaged over ${factor} samples)` : ''}, updated every ${MIC_INTERVAL_MS} ms.`;
    guideSignal.textContent = `${FILE_GUIDE} Speak or whistle: the spectrogram rolls; stop the microphone (or press Optimize θ) to keep the last ${MIC_SECONDS} s and optimize them.`;
    useSignal('mic', 'Microphone', { samples: x, sampleRate: rate }, first ? settingsForRecording(rate, n) : null);
    first = false;
  }, MIC_INTERVAL_MS);
  mic = { ctx, stream, timer };
  status.mic = true;
  micButton.textContent = `■ Stop microphone (keep the last ${MIC_SECONDS} s)`;
  micButton.setAttribute('aria-pressed', 'true');
}

async function stopMic(): Promise<void> {
  if (!mic) return;
  const m = mic;
  mic = null;
  clearInterval(m.timer);
  for (const track of m.stream.getTracks()) track.stop();
  status.mic = false;
  micButton.textContent = '● Microphone (live)';
  micButton.setAttribute('aria-pressed', 'false');
  await m.ctx.close();
}

micButton.addEventListener('click', () => {
  (mic ? stopMic() : startMic()).catch((e: unknown) => showError(`Microphone: ${e instanceof Error ? e.message : String(e)}`));
});

copyLink.addEventListener('click', () => {
  navigator.clipboard.writeText(location.href).then(
    () => setStatus('Link copied: it opens this signal with these settings.'),
    () => setStatus(`Copy this link: ${location.href}`),
  );
});

const shared = decodeShare(location.hash);
const sharedEntry = SIGNALS.find((e) => e.id === shared.signal);
chooseBuiltin(sharedEntry?.id ?? SIGNALS[0]!.id, shared.signal !== null ? shared.raw : {});
