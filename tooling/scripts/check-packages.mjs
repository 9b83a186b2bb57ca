// Proves the published @dstft/* packages work for real consumers, outside the workspace:
//   1. finds every non-private package under packages/ and apps/,
//   2. requires a build (dist/index.js + dist/index.d.ts + every file the exports map points at),
//   3. runs publint on the packed tarball (errors AND warnings fail; suggestions are printed only),
//   4. `pnpm pack`s each one and checks that no `workspace:` / `catalog:` range survived in package.json,
//   5. installs the tarballs with npm into scratch projects in os.tmpdir() (selective installs: see SCENARIOS)
//      and imports the packages by name in Node ESM, checking a few real exports (see EXPECTED_EXPORTS),
//   6. type-checks a consumer file with the workspace's TypeScript (nodenext, strict, skipLibCheck false),
//   7. prints a summary, removes its temp dirs, exits 1 on any failure.
// Usage: pnpm run check:packages [-- --keep]   (--keep leaves the temp dir in place for debugging)
// Needs a build first (`pnpm build`). Network: npm fetches the third-party deps (fft.js, and vitest as the peer
// of @dstft/testing) from the registry; reruns are served from the npm cache (--prefer-offline).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

// ---------------------------------------------------------------------------------------------
// Tables to extend
// ---------------------------------------------------------------------------------------------

/**
 * What each package must export when imported by name in plain Node ESM.
 * - required: every name must be exported.
 * - anyOf:    at least one of the names must be exported.
 * - checks:   label -> predicate on the module namespace. Predicates are serialized with toString() and run in
 *             the scratch project, so they must be self-contained (no closures over this file).
 * - pending:  true while the package's src/index.ts is still a stub: missing exports / failed checks are printed
 *             as PENDING instead of failing. A load error always fails. Drop the flag once the API exists.
 * Packages without an entry only have to load.
 */
const EXPECTED_EXPORTS = {
  '@dstft/core': {
    required: ['createRegistry', 'FrameWindow', 'NORMALIZATIONS', 'API_VERSION'],
  },
  '@dstft/windows': {
    required: ['hann', 'windowsPreset'],
    checks: {
      "hann.kind === 'window'": (m) => m.hann.kind === 'window',
      'windowsPreset.plugins.length >= 4': (m) => m.windowsPreset.plugins.length >= 4,
    },
  },
  '@dstft/kernel': {
    required: ['stftForward', 'createStftPlan', 'stftInverse'],
  },
  '@dstft/testing': {
    required: ['mulberry32', 'createRng', 'maxRelativeError'],
  },
  '@dstft/backprop': {
    required: ['stftForwardWithState', 'stftBackward', 'stftBackwardInto', 'finishBackward', 'createBackwardBuffers', 'forgetForwardState'],
  },
  '@dstft/parallel': {
    required: ['createParallelDstft', 'frameRanges'],
  },
  '@dstft/losses': {
    required: ['shannon', 'renyi', 'kurtosis', 'coverage', 'tfSmoothness', 'lossesPreset', 'coverageViolations', 'spectrogramSumError'],
  },
  '@dstft/tracking': {
    required: ['vibrationSignal', 'variablePeriodSines', 'trackRidge', 'trackingLoss', 'frequencyEstimate', 'frequencyTracking', 'trackingPreset'],
    checks: {
      "frequencyTracking.kind === 'task'": (m) => m.frequencyTracking.kind === 'task',
    },
  },
  '@dstft/optim': {
    required: ['sgd', 'adam', 'adamw', 'lbfgs', 'optimPreset', 'minimize', 'createMinimizer'],
  },
  '@dstft/plot': {
    required: ['encodePng', 'spectrogramFigure', 'lineFigure', 'mapFigure'],
    checks: {
      'encodePng(createImage(2, 2)) starts with the PNG signature': (m) => {
        const png = m.encodePng(m.createImage(2, 2));
        return png[0] === 0x89 && png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47;
      },
    },
  },
  '@dstft/wav': {
    required: ['decodeWav', 'encodeWav', 'mixdown', 'selectChannel', 'WavError'],
    checks: {
      'decodeWav(encodeWav([l, r], 8000)) round-trips 16-bit PCM': (m) => {
        const l = Float64Array.of(0, 0.5, -1);
        const r = Float64Array.of(1, -0.25, 0);
        const a = m.decodeWav(m.encodeWav([l, r], 8000));
        return a.sampleRate === 8000 && a.frames === 3 && a.format.bitsPerSample === 16 &&
          a.channels[0][1] === 0.5 && a.channels[0][2] === -1 && a.channels[1][0] === 32767 / 32768;
      },
      "decodeWav(garbage) throws WavError with code 'ERR_WAV'": (m) => {
        try {
          m.decodeWav(new Uint8Array(16));
        } catch (e) {
          return e instanceof m.WavError && e.code === 'ERR_WAV' && /Fix: /.test(e.message);
        }
        return false;
      },
    },
  },
  '@dstft/fft-pffft': {
    required: ['loadPffftBackend', 'pffftSupports', 'PFFFT_MAX_SIZE', 'default'],
    checks: {
      'pffftSupports(1024) && !pffftSupports(48)': (m) => m.pffftSupports(1024) && !m.pffftSupports(48),
      // Loads the WebAssembly module as installed from the registry (the .wasm file next to its JS) and transforms.
      'await loadPffftBackend(): a 64-point forward of a constant is 64 at DC': async (m) => {
        const backend = await m.default();
        const plan = backend.createRealPlan(64);
        const out = new Float64Array(66);
        plan.forward(new Float64Array(64).fill(1), out);
        return backend.id === 'pffft' && backend.precision === 'float32' && Math.abs(out[0] - 64) < 1e-4 && Math.abs(out[2]) < 1e-4;
      },
      // A DSTFT on the float32 backend agrees with the exact default (needs @dstft/dstft in the same install).
      "createDstft(options, { fft }) agrees with float64 to 1e-5": async (m) => {
        const { createDstft } = await import('@dstft/dstft');
        const fft = await m.loadPffftBackend();
        const options = { nFft: 256, signalLength: 2048, hop: 64, theta: 200 };
        const x = new Float64Array(2048).map((_, i) => Math.sin(i / 7) + 0.3 * Math.cos(i / 2));
        const a = createDstft(options, { fft }).forward(x).spec;
        const b = createDstft(options).forward(x).spec;
        let err = 0;
        let peak = 0;
        for (let k = 0; k < a.length; k++) {
          err = Math.max(err, Math.abs(a[k] - b[k]));
          peak = Math.max(peak, b[k]);
        }
        return err / peak < 1e-5 && err > 0;
      },
    },
  },
  '@dstft/node-io': {
    required: ['openOutputDir', 'writeFileAtomic', 'openAtomicStream', 'freshOutputPath', 'checkOutputFile', 'installSignalHandlers', 'cleanupAfterInterrupt', 'runInterruptible', 'workerAbortSignal', 'OutputError'],
  },
  '@dstft/experiments': {
    required: ['EXPERIMENTS', 'runExperiment'],
    checks: {
      'EXPERIMENTS has vi-a, vi-b, vi-c and vii-a, each with run()': (m) => ['vi-a', 'vi-b', 'vi-c', 'vii-a'].every((id) => typeof m.EXPERIMENTS[id].run === 'function'),
    },
  },
  '@dstft/cli': {
    required: ['run', 'COMMANDS', 'readTransformFile'],
    checks: {
      'COMMANDS holds optimize, spectrogram and track': (m) => ['optimize', 'spectrogram', 'track'].every((n) => m.COMMANDS.some((c) => c.name === n)),
      // the bin as npm links it: node_modules/.bin/dstft (shebang, executable), run on the built-in example
      'node_modules/.bin/dstft optimize --json on the built-in example lowers the entropy': async () => {
        const { execFileSync } = await import('node:child_process');
        const { mkdtempSync, rmSync } = await import('node:fs');
        const { join } = await import('node:path');
        const { tmpdir } = await import('node:os');
        const bin = join(process.cwd(), 'node_modules', '.bin', process.platform === 'win32' ? 'dstft.cmd' : 'dstft');
        const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
        const out = mkdtempSync(join(tmpdir(), 'dstft-bin-'));
        try {
          const r = JSON.parse(execFileSync(bin, ['optimize', '--json', '--scan', '8', '--starts', '1', '--out', join(out, 'run')], { encoding: 'utf8' }));
          return /^\d+\.\d+\.\d+/.test(version) && r.ok === true && r.loss.optimized < r.loss.initial;
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      },
    },
  },
  '@dstft/tfjs': {
    required: ['dstftOp', 'DstftLayer', 'dstftLayer', 'registerDstftLayer'],
    checks: {
      // Runs the op and its custom gradient under TensorFlow.js as npm installed it (the peers, on the CPU backend).
      'tf.grads through dstftOp gives finite, non-zero ∂ℒ/∂θ and ∂ℒ/∂x': async (m) => {
        const tf = await import('@tensorflow/tfjs-core');
        await import('@tensorflow/tfjs-backend-cpu');
        await import('@tensorflow/tfjs-layers');
        tf.env().set('PROD', true);
        await tf.setBackend('cpu');
        const x = tf.tensor2d(Float32Array.from({ length: 512 }, (_, i) => Math.sin(i / 5)), [1, 512]);
        const theta = tf.tensor1d([40]);
        const [gx, gt] = tf.grads((a, b) => tf.sum(m.dstftOp(a, b, { nFft: 64, hop: 16 })))([x, theta]);
        const t = gt.dataSync()[0];
        return Number.isFinite(t) && t !== 0 && gx.shape[1] === 512 && gx.dataSync().some((v) => v !== 0);
      },
    },
  },
  '@dstft/dstft': {
    required: ['createDstft', 'createDefaultRegistry', 'hann', 'createStftPlan', 'trainTask', 'evaluateTask', 'trackRidge'],
    checks: {
      "createDefaultRegistry().get('window', 'hann').kind === 'window'": (m) =>
        m.createDefaultRegistry().get('window', 'hann').kind === 'window',
      "createDefaultRegistry().ids('task') includes 'frequency-tracking'": (m) => m.createDefaultRegistry().ids('task').includes('frequency-tracking'),
      // Runs the kernel, hence fft.js as installed from the registry.
      'createDstft({ nFft: 64, signalLength: 256, hop: 16 }).forward(impulse) is finite': (m) => {
        const d = m.createDstft({ nFft: 64, signalLength: 256, hop: 16, theta: 32 });
        const x = new Float64Array(256);
        x[128] = 1;
        const { spec } = d.forward(x);
        return spec.length === d.freqs * d.frames && spec.every(Number.isFinite);
      },
      // Runs the backward pass (the backprop package as installed).
      'dstft.backward(forward(x), { spec: 1 }).theta is finite': (m) => {
        const d = m.createDstft({ nFft: 64, signalLength: 256, hop: 16, theta: 32 });
        const x = new Float64Array(256).map((_, i) => Math.sin(i / 3));
        const r = d.forward(x);
        const g = d.backward(r, { spec: new Float64Array(r.spec.length).fill(1) });
        return g.theta.length === 1 && Number.isFinite(g.theta[0]) && g.theta[0] !== 0;
      },
      // Runs the loop: losses and optimizers from the default registry, as installed.
      'optimize(dstft, x) lowers the entropy': (m) => {
        const d = m.createDstft({ nFft: 64, signalLength: 256, hop: 16, theta: 20, thetaMin: 8 });
        const x = new Float64Array(256).map((_, i) => Math.sin(0.3 * i + 0.002 * i * i));
        const r = m.optimize(d, x, { maxIterations: 5 });
        return r.loss < r.initialLoss && d.params.theta[0] >= 8 && d.params.theta[0] <= 64;
      },
    },
  },
};

/** Type-checked in the scenarios that name it (tsc --module nodenext --strict --skipLibCheck false). */
const CHECK_TS = {
  pffft: `import { createDstft, type FftBackend } from '@dstft/dstft';
import { loadPffftBackend, type PffftBackend } from '@dstft/fft-pffft';

const backend: PffftBackend = await loadPffftBackend();
const generic: FftBackend = backend;
const precision: 'float32' = backend.precision;
const transform = createDstft({ nFft: 256, signalLength: 2048, hop: 64 }, { fft: generic });
const id: string | undefined = transform.options.fft;
// @ts-expect-error the backend is an object in extras, not a plain option
createDstft({ nFft: 256, signalLength: 2048, fft: backend });

export { precision, id };
`,
  dstft: `import { createDstft, optimize, type Dstft, type DstftOptions, type OptimizeOptions } from '@dstft/dstft';
import { hann, windowsPreset } from '@dstft/windows';

// These only compile if the exports map's "types" condition resolved real declarations.
const options: DstftOptions = { nFft: 64, signalLength: 256, hop: 16, theta: 32 };
const transform: Dstft = createDstft(options);
const spec: Float64Array = transform.forward(new Float64Array(256)).spec;
const kind: 'window' = hann.kind;
const count: number = windowsPreset.plugins.length;
// @ts-expect-error hann.kind is the literal 'window'; if the declarations were missing (any) this would compile.
const notAKind: 'kernel' = hann.kind;
// @ts-expect-error nFft is required by DstftOptions.
const missingNfft: DstftOptions = { signalLength: 256 };
const run: OptimizeOptions = { loss: 'shannon', regularizers: [{ id: 'tf-smoothness', weight: 1e-7 }], maxIterations: 3 };
const best: number = optimize(transform, new Float64Array(256).fill(1), run).loss;

export { transform, spec, kind, count, notAKind, missingNfft, best };
`,
  windows: `import { createRegistry, type WindowPlugin } from '@dstft/core';
import { hann, windowsPreset } from '@dstft/windows';

const registry = createRegistry().use(windowsPreset);
const plugin: WindowPlugin = hann;
// @ts-expect-error hann.kind is the literal 'window'; if the declarations were missing (any) this would compile.
const notAKind: 'kernel' = hann.kind;

export { registry, plugin, notAKind };
`,
};

/**
 * Scratch npm projects. `install` is what the consumer lists in package.json (as local tarballs); every other
 * @dstft package reaches the tree only transitively, pinned to its local tarball by npm `overrides`.
 * `expectInstalled` is the exact set of @dstft packages that must end up in node_modules ('*' = all published);
 * `expectAbsent` lists packages that must NOT be installed (proves the install stays selective).
 * `extraInstall` adds third-party dependencies from the registry ({ name: range }), e.g. a TensorFlow.js backend.
 */
const SCENARIOS = [
  {
    name: 'windows-only',
    install: ['@dstft/windows', '@dstft/core'],
    expectInstalled: ['@dstft/core', '@dstft/windows'],
    expectAbsent: ['fft.js'],
    imports: ['@dstft/windows', '@dstft/core'],
    typecheck: 'windows',
  },
  {
    name: 'dstft',
    install: ['@dstft/dstft'],
    expectInstalled: ['@dstft/core', '@dstft/windows', '@dstft/losses', '@dstft/optim', '@dstft/kernel', '@dstft/backprop', '@dstft/tracking', '@dstft/dstft'],
    expectAbsent: ['@dstft/testing', '@echogarden/pffft-wasm'],
    imports: ['@dstft/dstft', '@dstft/windows'],
    typecheck: 'dstft',
  },
  {
    name: 'plot-only',
    install: ['@dstft/plot'],
    expectInstalled: ['@dstft/plot'],
    expectAbsent: ['@dstft/core', 'fft.js'],
    imports: ['@dstft/plot'],
    typecheck: null,
  },
  {
    name: 'fft-pffft',
    install: ['@dstft/dstft', '@dstft/fft-pffft'],
    expectInstalled: ['@dstft/core', '@dstft/windows', '@dstft/losses', '@dstft/optim', '@dstft/kernel', '@dstft/backprop', '@dstft/tracking', '@dstft/dstft', '@dstft/fft-pffft'],
    expectAbsent: ['@dstft/testing'],
    imports: ['@dstft/fft-pffft', '@dstft/dstft'],
    typecheck: 'pffft',
  },
  {
    name: 'tfjs',
    // @tensorflow/tfjs-core and -layers are peers: npm ≥ 7 installs them from the registry; the CPU backend is
    // what a consumer adds (the check runs on it).
    install: ['@dstft/tfjs'],
    extraInstall: { '@tensorflow/tfjs-backend-cpu': '^4.22.0' },
    expectInstalled: ['@dstft/core', '@dstft/windows', '@dstft/losses', '@dstft/optim', '@dstft/kernel', '@dstft/backprop', '@dstft/tracking', '@dstft/dstft', '@dstft/tfjs'],
    expectAbsent: ['@dstft/testing', '@tensorflow/tfjs-node'],
    imports: ['@dstft/tfjs'],
    typecheck: null,
  },
  {
    name: 'wav-only',
    install: ['@dstft/wav'],
    expectInstalled: ['@dstft/core', '@dstft/wav'],
    expectAbsent: ['fft.js', '@dstft/kernel'],
    imports: ['@dstft/wav'],
    typecheck: null,
  },
  {
    name: 'all',
    install: '*',
    extraInstall: { '@tensorflow/tfjs-backend-cpu': '^4.22.0' },
    expectInstalled: '*',
    expectAbsent: [],
    imports: '*',
    typecheck: null,
  },
];

// ---------------------------------------------------------------------------------------------

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(scriptDir, '../..');
const packagesDir = path.join(rootDir, 'packages');
const appsDir = path.join(rootDir, 'apps');
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const keepTemp = process.argv.includes('--keep');
const isWindows = process.platform === 'win32';
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (color ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const red = paint(31);
const green = paint(32);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);

const started = Date.now();
/** @type {string[]} */
const failures = [];
/** @type {string[]} */
const pendings = [];
const fail = (msg) => failures.push(msg);

function elapsed() {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

function log(msg = '') {
  console.log(msg);
}

/** Runs a command, collecting output. Never throws on a non-zero exit; throws only if it cannot start. */
function run(cmd, args, { cwd, env = process.env, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, shell: isWindows, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), signal, stdout, stderr }));
  });
}

function indent(text, prefix = '    ') {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** Reads one file out of a .tgz (ustar, as written by npm/pnpm) without dependencies. */
function readFromTarball(tgzPath, wanted) {
  const buf = gunzipSync(readFileSync(tgzPath));
  let offset = 0;
  let longName = null;
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = str(156, 157);
    const prefix = str(345, 500);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = buf.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if ((type === '0' || type === '') && name.replace(/^[^/]+\//, '') === wanted) {
      return body.toString('utf8');
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

// Minimal semver range check for the ranges pnpm writes when it rewrites workspace:/catalog: specs.
function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
/** @returns {boolean | null} null when the range form is not understood */
function satisfies(version, range) {
  const v = parseVersion(version);
  if (!v) return null;
  const r = range.trim();
  if (r === '*' || r === '') return true;
  const results = r.split('||').map((part) => {
    const p = part.trim();
    const base = parseVersion(p.replace(/^[\^~]|^>=|^=/, ''));
    if (!base) return null;
    if (p.startsWith('^')) {
      const upper = base[0] > 0 ? [base[0] + 1, 0, 0] : base[1] > 0 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1];
      return cmp(v, base) >= 0 && cmp(v, upper) < 0;
    }
    if (p.startsWith('~')) return cmp(v, base) >= 0 && cmp(v, [base[0], base[1] + 1, 0]) < 0;
    if (p.startsWith('>=')) return cmp(v, base) >= 0;
    if (/^=?\d/.test(p) && !/\s/.test(p)) return cmp(v, base) === 0;
    return null;
  });
  return results.includes(true) ? true : results.includes(null) ? null : false;
}

// ---------------------------------------------------------------------------------------------
// 1. Discover
// ---------------------------------------------------------------------------------------------

/** @typedef {{ name: string, version: string, dir: string, rel: string, pkg: any, tarball?: string, packedSize?: number, packedFiles?: number, packedPkg?: any, publint?: string, publintOk?: boolean, importStatus?: Map<string, string> }} Pkg */

/** @type {Pkg[]} */
// published apps (the CLI, the experiments) are checked like packages
const pkgs = [packagesDir, appsDir]
  .flatMap((base) =>
    readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(base, d.name, 'package.json')))
      .map((d) => ({ base, d })),
  )
  .map(({ base, d }) => {
    const dir = path.join(base, d.name);
    const pkg = readJson(path.join(dir, 'package.json'));
    return { name: pkg.name, version: pkg.version, dir, rel: `${path.basename(base)}/${d.name}`, pkg, importStatus: new Map() };
  })
  .filter((p) => !p.pkg.private)
  .sort((a, b) => a.name.localeCompare(b.name));
const byName = new Map(pkgs.map((p) => [p.name, p]));
const allNames = pkgs.map((p) => p.name);

if (pkgs.length === 0) {
  console.error(red('check:packages: no non-private package found under packages/.'));
  process.exit(1);
}
log(bold(`check:packages: ${pkgs.length} published packages: ${allNames.join(', ')}`));

for (const s of SCENARIOS) {
  for (const list of [s.install, s.expectInstalled, s.imports]) {
    if (list === '*') continue;
    for (const n of list) {
      if (!byName.has(n)) {
        console.error(red(`check:packages: scenario "${s.name}" names ${n}, which is not a published package under packages/.`));
        process.exit(1);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Built?
// ---------------------------------------------------------------------------------------------

function exportTargets(exp, out = new Set()) {
  if (typeof exp === 'string') out.add(exp);
  else if (Array.isArray(exp)) exp.forEach((e) => exportTargets(e, out));
  else if (exp && typeof exp === 'object') Object.values(exp).forEach((e) => exportTargets(e, out));
  return out;
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || /\.(test|spec|fixture)\.ts$/.test(e.name)) continue;
    newest = Math.max(newest, statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return newest;
}

{
  const missing = [];
  for (const p of pkgs) {
    const wanted = new Set(['./dist/index.js', './dist/index.d.ts']);
    for (const t of exportTargets(p.pkg.exports)) if (!t.includes('*') && t !== './package.json') wanted.add(t);
    const absent = [...wanted].filter((f) => !existsSync(path.join(p.dir, f)));
    if (absent.length) missing.push(`  ${p.name}: missing ${absent.map((f) => `${p.rel}/${f.replace(/^\.\//, '')}`).join(', ')}`);
    else if (newestMtime(path.join(p.dir, 'src')) > statSync(path.join(p.dir, 'dist/index.js')).mtimeMs) {
      log(yellow(`  note: ${p.name}: src/ is newer than dist/ (checking the last build; run \`pnpm build\` to refresh)`));
    }
  }
  if (missing.length) {
    console.error(red(`check:packages: packages are not built:\n${missing.join('\n')}\nRun \`pnpm build\` at the repo root first, then rerun \`pnpm run check:packages\`.`));
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// Temp space (outside the workspace)
// ---------------------------------------------------------------------------------------------

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'dstft-check-packages-'));
{
  const rel = path.relative(rootDir, tmpRoot);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
    console.error(red(`check:packages: os.tmpdir() (${os.tmpdir()}) is inside the workspace; set TMPDIR to a directory outside ${rootDir}.`));
    rmSync(tmpRoot, { recursive: true, force: true });
    process.exit(1);
  }
}
const tarballDir = path.join(tmpRoot, 'tarballs');
mkdirSync(tarballDir);

function cleanup() {
  if (keepTemp) log(dim(`temp dir kept: ${tmpRoot}`));
  else rmSync(tmpRoot, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

// Env for npm: drop the pnpm-only npm_config_* keys `pnpm run` exports (npm warns about unknown configs).
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_(verify_deps_before_run|user_agent|frozen_lockfile|_?pnpm)/i.test(k)),
);

async function checkAll() {
  // -------------------------------------------------------------------------------------------
  // 4. Pack (pnpm rewrites workspace:/catalog: ranges)
  // -------------------------------------------------------------------------------------------
  await Promise.all(
    pkgs.map(async (p) => {
      const r = await run('pnpm', ['pack', '--pack-destination', tarballDir, '--json'], { cwd: p.dir });
      if (r.code !== 0) {
        fail(`${p.name}: \`pnpm pack\` failed (exit ${r.code}):\n${indent(r.stderr || r.stdout)}`);
        return;
      }
      try {
        const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
        p.tarball = path.isAbsolute(info.filename) ? info.filename : path.join(tarballDir, path.basename(info.filename));
        p.packedFiles = info.files?.length;
      } catch {
        const guess = path.join(tarballDir, `${p.name.replace(/^@/, '').replace('/', '-')}-${p.version}.tgz`);
        if (existsSync(guess)) p.tarball = guess;
      }
      if (!p.tarball || !existsSync(p.tarball)) {
        fail(`${p.name}: \`pnpm pack\` produced no tarball in ${tarballDir}:\n${indent(r.stdout + r.stderr)}`);
        p.tarball = undefined;
        return;
      }
      p.packedSize = statSync(p.tarball).size;
      const text = readFromTarball(p.tarball, 'package.json');
      if (text == null) {
        fail(`${p.name}: the packed tarball has no package.json`);
        return;
      }
      p.packedPkg = JSON.parse(text);
      const leftovers = [];
      (function walk(v, at) {
        if (typeof v === 'string') {
          if (/^(workspace|catalog):/.test(v) || v.includes('workspace:')) leftovers.push(`${at} = "${v}"`);
        } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
      })(p.packedPkg, '');
      if (leftovers.length) {
        fail(`${p.name}: the packed package.json still contains unpublishable ranges (pack with pnpm, not npm):\n${indent(leftovers.join('\n'))}`);
      }
    }),
  );

  // -------------------------------------------------------------------------------------------
  // 3. publint, on the exact tarball that gets installed
  // -------------------------------------------------------------------------------------------
  const publintLines = [];
  await Promise.all(
    pkgs.map(async (p) => {
      if (!p.tarball) {
        p.publint = 'not run';
        return;
      }
      const buf = readFileSync(p.tarball);
      let result;
      try {
        result = await publint({ pack: { tarball: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) }, level: 'suggestion', strict: false });
      } catch (e) {
        p.publint = 'crashed';
        fail(`${p.name}: publint threw: ${e?.stack ?? e}`);
        return;
      }
      const counts = { error: 0, warning: 0, suggestion: 0 };
      const lines = [];
      for (const m of result.messages) {
        counts[m.type]++;
        const text = formatMessage(m, result.pkg, { color: false }) ?? m.code;
        const tag = m.type === 'suggestion' ? dim('suggestion') : m.type === 'warning' ? yellow('warning') : red('error');
        lines.push(`  ${p.name}: ${tag} ${m.code}: ${text}`);
        if (m.type === 'error') fail(`${p.name}: publint error ${m.code}: ${text}`);
        if (m.type === 'warning') fail(`${p.name}: publint warning ${m.code} (warnings count as failures here): ${text}`);
      }
      publintLines.push(...lines);
      p.publintOk = counts.error + counts.warning === 0;
      p.publint = p.publintOk
        ? counts.suggestion
          ? `ok (${counts.suggestion} suggestion${counts.suggestion > 1 ? 's' : ''})`
          : 'ok'
        : [counts.error && `${counts.error} error(s)`, counts.warning && `${counts.warning} warning(s)`].filter(Boolean).join(', ');
    }),
  );
  log(`packed + publint done (${elapsed()})`);
  if (publintLines.length) log(`publint:\n${publintLines.sort().join('\n')}`);

  // -------------------------------------------------------------------------------------------
  // 5 + 6. Scratch consumers
  // -------------------------------------------------------------------------------------------
  const packable = pkgs.filter((p) => p.tarball);
  if (packable.length !== pkgs.length) {
    fail('skipped the install/import/type checks: not every package could be packed (see above)');
    return;
  }
  const spec = (name) => `file:${byName.get(name).tarball}`;
  const overrides = Object.fromEntries(packable.map((p) => [p.name, spec(p.name)]));
  const expand = (list) => (list === '*' ? allNames : list);

  function smokeSource(names) {
    const entries = names.map((name) => {
      const e = EXPECTED_EXPORTS[name] ?? {};
      const checks = Object.entries(e.checks ?? {})
        .map(([label, fn]) => `[${JSON.stringify(label)}, ${fn.toString()}]`)
        .join(', ');
      return `  { name: ${JSON.stringify(name)}, required: ${JSON.stringify(e.required ?? [])}, anyOf: ${JSON.stringify(e.anyOf ?? [])}, checks: [${checks}] },`;
    });
    return `// generated by tooling/scripts/check-packages.mjs
const SPECS = [
${entries.join('\n')}
];
const results = [];
for (const spec of SPECS) {
  const r = { name: spec.name, exports: [], problems: [], loadError: null };
  let m;
  try {
    m = await import(spec.name);
  } catch (e) {
    r.loadError = String((e && e.stack) || e);
    results.push(r);
    continue;
  }
  r.exports = Object.keys(m).sort();
  for (const n of spec.required) if (!(n in m)) r.problems.push('missing export ' + n);
  if (spec.anyOf.length && !spec.anyOf.some((n) => n in m)) r.problems.push('exports none of ' + spec.anyOf.join(', '));
  for (const [label, fn] of spec.checks) {
    try {
      if (!(await fn(m))) r.problems.push('check failed: ' + label);
    } catch (e) {
      r.problems.push('check threw: ' + label + ': ' + ((e && e.message) || e));
    }
  }
  results.push(r);
}
console.log('@@RESULTS@@' + JSON.stringify(results));
`;
  }

  const scenarioRows = [];
  await Promise.all(
    SCENARIOS.map(async (s) => {
      const row = { name: s.name, installed: '-', imports: '-', types: s.typecheck ? '-' : 'n/a', time: '' };
      scenarioRows.push(row);
      const t0 = Date.now();
      const dir = path.join(tmpRoot, `consumer-${s.name}`);
      mkdirSync(dir);
      const install = expand(s.install);
      writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify({ name: `dstft-consumer-${s.name}`, type: 'module', private: true, dependencies: { ...Object.fromEntries(install.map((n) => [n, spec(n)])), ...(s.extraInstall ?? {}) }, overrides }, null, 2)}\n`,
      );
      const npm = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, env: npmEnv });
      if (npm.code !== 0) {
        row.installed = 'npm FAILED';
        fail(`[${s.name}] npm install ${install.join(' ')} failed (exit ${npm.code}):\n${indent(npm.stderr + npm.stdout)}`);
        return;
      }

      // What landed in node_modules, and from where.
      const scopeDir = path.join(dir, 'node_modules', '@dstft');
      const installed = existsSync(scopeDir) ? readdirSync(scopeDir).map((n) => `@dstft/${n}`).sort() : [];
      const expected = [...expand(s.expectInstalled)].sort();
      const problems = [];
      const extra = installed.filter((n) => !expected.includes(n));
      const missing = expected.filter((n) => !installed.includes(n));
      if (extra.length) problems.push(`unexpectedly installed: ${extra.join(', ')}`);
      if (missing.length) problems.push(`not installed: ${missing.join(', ')}`);
      for (const n of s.expectAbsent ?? []) if (!extra.includes(n) && existsSync(path.join(dir, 'node_modules', n))) problems.push(`${n} must not be installed`);
      const lock = existsSync(path.join(dir, 'node_modules', '.package-lock.json')) ? readJson(path.join(dir, 'node_modules', '.package-lock.json')) : { packages: {} };
      for (const [key, entry] of Object.entries(lock.packages ?? {})) {
        const m = /(?:^|\/)node_modules\/(@dstft\/[^/]+)$/.exec(key);
        if (m && !String(entry.resolved ?? '').startsWith('file:')) problems.push(`${m[1]} at ${key} came from ${entry.resolved ?? 'nowhere?'}, not the local tarball`);
      }
      // overrides pin @dstft/* to the local tarballs regardless of range, so check the ranges ourselves.
      for (const n of installed) {
        const ipkg = readJson(path.join(scopeDir, n.slice('@dstft/'.length), 'package.json'));
        for (const field of ['dependencies', 'peerDependencies']) {
          for (const [dep, range] of Object.entries(ipkg[field] ?? {})) {
            if (!dep.startsWith('@dstft/')) continue;
            const depDir = path.join(scopeDir, dep.slice('@dstft/'.length));
            if (!existsSync(depDir)) {
              if (!ipkg.peerDependenciesMeta?.[dep]?.optional) problems.push(`${n} ${field.replace('ies', 'y')} ${dep} is not installed`);
              continue;
            }
            const v = readJson(path.join(depDir, 'package.json')).version;
            const ok = satisfies(v, range);
            if (ok === false) problems.push(`${n} wants ${dep}@${range} (${field}) but the workspace version is ${v}`);
            if (ok === null) log(yellow(`  note: [${s.name}] cannot verify range ${dep}@${range} of ${n}`));
          }
        }
      }
      row.installed = installed.map((n) => n.replace('@dstft/', '')).join(', ') || '(none)';
      if (problems.length) {
        row.installed += ' FAIL';
        for (const pr of problems) fail(`[${s.name}] ${pr}`);
      }

      // Node ESM import by name, then tsc, in parallel.
      const names = expand(s.imports);
      writeFileSync(path.join(dir, 'smoke.mjs'), smokeSource(names));
      const nodeRun = run(process.execPath, ['smoke.mjs'], { cwd: dir, timeoutMs: 60_000 });
      let tscRun = null;
      if (s.typecheck) {
        writeFileSync(path.join(dir, 'check.ts'), CHECK_TS[s.typecheck]);
        tscRun = run(
          process.execPath,
          [tscPath, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--noEmit', '--skipLibCheck', 'false', '--pretty', 'false', 'check.ts'],
          { cwd: dir, timeoutMs: 120_000 },
        );
      }

      const smoke = await nodeRun;
      const marker = smoke.stdout.lastIndexOf('@@RESULTS@@');
      if (marker < 0) {
        row.imports = 'FAIL';
        fail(`[${s.name}] the import script crashed (exit ${smoke.code}):\n${indent(smoke.stderr + smoke.stdout)}`);
      } else {
        const results = JSON.parse(smoke.stdout.slice(marker + '@@RESULTS@@'.length).split('\n')[0]);
        let bad = 0;
        for (const r of results) {
          const p = byName.get(r.name);
          const pending = EXPECTED_EXPORTS[r.name]?.pending === true;
          let status;
          if (r.loadError) {
            status = 'FAIL';
            fail(`[${s.name}] import('${r.name}') failed in Node ESM:\n${indent(r.loadError.split('\n').slice(0, 8).join('\n'))}`);
          } else if (r.problems.length && !pending) {
            status = 'FAIL';
            fail(`[${s.name}] ${r.name}: ${r.problems.join('; ')}\n    exports: ${r.exports.join(', ') || '(none)'}`);
          } else if (r.problems.length) {
            status = 'pending';
            const msg = `${r.name}: ${r.problems.join('; ')} (pending in EXPECTED_EXPORTS); exports: ${r.exports.join(', ') || '(none)'}`;
            if (!pendings.includes(msg)) pendings.push(msg);
          } else if (r.exports.length === 0 && !EXPECTED_EXPORTS[r.name]) {
            status = 'pending';
            const msg = `${r.name}: loads but exports nothing`;
            if (!pendings.includes(msg)) pendings.push(msg);
          } else {
            status = `ok (${r.exports.length} exports)`;
          }
          if (status === 'FAIL') bad++;
          const prev = p.importStatus.get('worst');
          if (!prev || status === 'FAIL' || (status === 'pending' && !prev.startsWith('FAIL'))) p.importStatus.set('worst', status);
          if (!p.importStatus.has('ok') && status.startsWith('ok')) p.importStatus.set('ok', status);
        }
        row.imports = bad ? `FAIL (${bad})` : `ok (${results.length} pkg${results.length > 1 ? 's' : ''})`;
      }

      if (tscRun) {
        const tsc = await tscRun;
        if (tsc.code === 0) row.types = 'ok';
        else {
          row.types = 'FAIL';
          fail(`[${s.name}] tsc (nodenext, strict, skipLibCheck false) rejected check.ts:\n${indent(tsc.stdout + tsc.stderr)}\n  check.ts:\n${indent(CHECK_TS[s.typecheck], '    | ')}`);
        }
      }
      row.time = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    }),
  );

  // -------------------------------------------------------------------------------------------
  // 7. Summary
  // -------------------------------------------------------------------------------------------
  const table = (head, rows) => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) => `  ${cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')}`.trimEnd();
    return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  };
  log();
  log(
    table(
      ['package', 'publint', 'packed', 'import ok'],
      pkgs.map((p) => {
        const worst = p.importStatus.get('worst');
        const imp = worst === undefined ? 'not imported' : worst.startsWith('ok') ? p.importStatus.get('ok') : worst;
        return [`${p.name}@${p.version}`, p.publint ?? '-', p.packedSize ? `${formatSize(p.packedSize)}${p.packedFiles ? `, ${p.packedFiles} files` : ''}` : '-', imp];
      }),
    ),
  );
  log();
  const order = SCENARIOS.map((s) => s.name);
  scenarioRows.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  log(table(['consumer', '@dstft installed', 'node import', 'tsc', 'time'], scenarioRows.map((r) => [r.name, r.installed, r.imports, r.types, r.time])));
}

try {
  await checkAll();
} catch (e) {
  fail(String(e?.stack ?? e));
} finally {
  cleanup();
}

log();
for (const pmsg of pendings) log(yellow(`PENDING ${pmsg}`));
if (failures.length) {
  console.error(red(bold(`check:packages FAILED (${failures.length} problem${failures.length > 1 ? 's' : ''}, ${elapsed()}):`)));
  for (const f of failures) console.error(red(`- ${f}`));
  process.exit(1);
}
log(green(bold(`check:packages: ok — ${pkgs.length} packages packed, linted, installed and imported outside the workspace (${elapsed()})`)));
