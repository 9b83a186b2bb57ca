/**
 * The page: controls, the worker conversation, figures drawn with @dstft/plot into canvases, audio, exports.
 * State the browser tests read is mirrored in `window.__dstftDemo` and `document.body.dataset`.
 */
import './style.css';
import { createDefaultRegistry } from '@dstft/dstft';
import { encodePng, hstack, lineFigure, mapFigure, spectrogramFigure, vstack, type Image } from '@dstft/plot';
import { loadWavFile, wavBytes } from './audio-file.js';
import { playSignal } from './audio.js';
import type { FftInfo, FromWorker, SpecData, ThetaData, ToWorker } from './protocol.js';
import { FFT_BACKENDS, NFFT_CHOICES, WINDOW_MODES, parseSettings, type DemoSettings } from './settings.js';
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

const FIELDS = ['windowMode', 'nFft', 'hop', 'theta', 'window', 'fft', 'loss', 'regularizerWeight', 'lr', 'iterations'] as const satisfies readonly (keyof DemoSettings)[];
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
fillSelect(signalSelect, [...SIGNALS.map((s) => ({ value: s.id, label: s.label })), { value: 'file', label: 'WAV file (drop or choose below)' }]);
signalSelect.querySelector<HTMLOptionElement>('option[value="file"]')!.disabled = true;
fillSelect(field('windowMode') as HTMLSelectElement, WINDOW_MODES.map((m) => ({ value: m.id, label: m.label })));
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
const fmtTheta = (s: Stats): string => (s.min === s.max ? `θ = ${s.mean.toFixed(1)}` : `θ mean ${s.mean.toFixed(1)} (${s.min.toFixed(1)} … ${s.max.toFixed(1)})`);

// ---------------------------------------------------------------- figures

const figures: { before: Image | null; after: Image | null; theta: Image | null; loss: Image | null } = { before: null, after: null, theta: null, loss: null };
let pending: { before?: SpecData; after?: SpecData; theta?: ThetaData; loss?: boolean } = {};
let frameRequested = false;
let thetaHistory: number[] = [];

/** Figure size in pixels and text scale: drawn at about twice the displayed size, so text stays legible. */
const FIG_W = 960;
const FIG_H = 520;
const FONT = 2;

function draw(canvas: HTMLCanvasElement, img: Image): void {
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas context');
  ctx.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
}

function specFigure(d: SpecData, title: string): Image {
  return spectrogramFigure(d.spec, { freqs: d.freqs, frames: d.frames, times: d.times, frequencies: d.frequencies, title, maxWidth: FIG_W, maxHeight: FIG_H, fontScale: FONT });
}

function thetaFigure(t: ThetaData, times: Float64Array | undefined, frequencies: Float64Array | undefined): Image {
  if (t.rows === 1 && t.cols === 1) {
    const x = thetaHistory.map((_, i) => i);
    return lineFigure([{ x, y: thetaHistory, label: 'θ', marker: thetaHistory.length < 30 ? 'circle' : 'none' }], {
      title: `θ = ${t.theta[0]!.toFixed(1)} samples`, xLabel: 'iteration', yLabel: 'θ (samples)', width: FIG_W, height: FIG_H, legend: 'none', fontScale: FONT,
    });
  }
  const s = stats(t.theta);
  const title = t.rows === 1 ? `θ per frame (mean ${s.mean.toFixed(0)})` : `θ per bin and frame (mean ${s.mean.toFixed(0)})`;
  return mapFigure(t.theta, t.rows, t.cols, {
    ...(times && times.length === t.cols ? { times } : {}),
    ...(frequencies && frequencies.length === t.rows && t.rows > 1 ? { frequencies } : {}),
    title, maxWidth: FIG_W, maxHeight: FIG_H, width: FIG_W, height: FIG_H, fontScale: FONT,
  } as Parameters<typeof mapFigure>[3]);
}

function lossFigure(): Image {
  const y = status.lossHistory;
  const x = y.map((_, i) => i);
  return lineFigure([{ x, y, label: 'loss', marker: y.length < 30 ? 'circle' : 'none' }], {
    title: y.length ? `loss ${fmt(y[y.length - 1]!)}` : 'loss', xLabel: 'iteration', yLabel: 'loss', width: FIG_W, height: FIG_H, legend: 'none', fontScale: FONT,
  });
}

let lastAfter: SpecData | null = null;
let lastBefore: SpecData | null = null;

function scheduleRender(update: typeof pending): void {
  pending = { ...pending, ...update };
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    const p = pending;
    pending = {};
    try {
      if (p.before) {
        lastBefore = p.before;
        figures.before = specFigure(p.before, `before: ${status.thetaStart ? fmtTheta(status.thetaStart) : ''}`);
        draw(canvases.before, figures.before);
      }
      if (p.after) {
        lastAfter = p.after;
        figures.after = specFigure(p.after, `after: ${status.theta ? fmtTheta(status.theta) : ''}`);
        draw(canvases.after, figures.after);
      }
      if (p.theta) {
        thetaCaption.textContent =
          p.theta.rows * p.theta.cols === 1
            ? 'θ per iteration (one window length for the whole signal)'
            : p.theta.rows === 1
              ? 'θ per frame: the learned window length along time'
              : 'θ per time-frequency cell: the learned window-length map';
        const axes = lastAfter ?? lastBefore;
        figures.theta = thetaFigure(p.theta, axes?.times, axes?.frequencies);
        draw(canvases.theta, figures.theta);
      }
      if (p.loss) {
        figures.loss = lossFigure();
        draw(canvases.loss, figures.loss);
      }
    } catch (e) {
      showError(`Drawing failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

// ---------------------------------------------------------------- worker

const worker = createWorker();

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

function send(message: ToWorker): void {
  worker.postMessage(message);
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
      status.initialLoss = m.loss;
      status.loss = m.loss;
      status.lossHistory = [m.loss];
      status.thetaStart = stats(m.theta.theta);
      status.theta = status.thetaStart;
      thetaHistory = [m.theta.theta[0]!];
      status.fft = m.fft;
      if (!running) {
        status.state = 'idle';
        setStatus(`${current.label}: ${current.signal.samples.length} samples at ${current.signal.sampleRate} Hz; loss ${fmt(m.loss)} at the start θ; ${fmtFft(m.fft)}. Press “Optimize θ”.`);
      }
      publish();
      scheduleRender({ before: m.before, after: m.before, theta: m.theta, loss: true });
      return;
    }
    case 'progress': {
      status.iteration = m.iteration;
      status.loss = m.loss;
      status.lossHistory.push(m.loss);
      status.theta = stats(m.theta.theta);
      thetaHistory.push(m.theta.theta[0]!);
      setStatus(`Iteration ${m.iteration}: loss ${fmt(m.loss)}, ${fmtTheta(status.theta)} (${(m.elapsedMs / 1000).toFixed(1)} s)`);
      publish();
      scheduleRender({ theta: m.theta, loss: true, ...(m.after ? { after: m.after } : {}) });
      return;
    }
    case 'done': {
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
      for (const b of [playReconstructed, downloadWav, exportPng, exportJson]) b.disabled = false;
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
  for (const b of [playReconstructed, downloadWav, exportPng, exportJson]) b.disabled = true;
}

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
  send({ type: 'preview', runId, samples: current.signal.samples, sampleRate: current.signal.sampleRate, settings });
}

function start(): void {
  const settings = beginRun();
  if (!settings) return;
  status.runs += 1;
  status.state = 'running';
  status.iteration = 0;
  publish();
  setRunning(true);
  setStatus('Optimizing…');
  send({ type: 'start', runId, samples: current.signal.samples, sampleRate: current.signal.sampleRate, settings });
}

function stop(): void {
  if (!running) return;
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

function chooseBuiltin(id: string): void {
  const entry = SIGNALS.find((s) => s.id === id);
  if (!entry) return;
  signalDescription.textContent = entry.description;
  status.notice = null;
  try {
    useSignal(entry.id, entry.label, entry.make(), settingsFor(entry));
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
  }
}

async function chooseFile(file: File): Promise<void> {
  try {
    const { signal, notice } = await loadWavFile(file);
    status.notice = notice;
    signalSelect.value = 'file';
    signalDescription.textContent = notice;
    useSignal('file', file.name, signal, null);
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
  writeSettings(entry ? settingsFor(entry) : settingsFor(SIGNALS[0]!));
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
const play = (x: Float64Array | null, what: string) => {
  if (!x) return;
  playSignal(x, current.signal.sampleRate).then(
    (note) => setStatus(`Playing the ${what} signal${note}.`),
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

chooseBuiltin(SIGNALS[0]!.id);
