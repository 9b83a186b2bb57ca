// Proves that a third party can extend dstft-ts with nothing of ours but the published packages:
//   1. packs the published @dstft/* packages (`pnpm pack`, which rewrites workspace:/catalog: ranges), or takes the
//      tarballs a caller already packed (--tarballs <dir>, as `pnpm release:check` does),
//   2. packs examples/third-party-plugin (@acme/dstft-plugins: a window and a loss plugin, written as its author
//      would, depending on the published names) with npm, as its author would publish it,
//   3. installs it with @dstft/dstft and @dstft/cli from those tarballs with npm in a scratch project outside the
//      workspace (third-party dependencies come from the registry or npm's cache: --prefer-offline),
//   4. from the API: builds a transform with the plugin window, computes the plugin loss on it, and checks the
//      analytic ∂ℒ/∂θ against a central finite difference (relative error ≤ 1e-6), then optimizes θ with it;
//   5. from the installed CLI: `dstft plugins --plugin <package>` lists both plugins, and
//      `dstft optimize --plugin <path> --window acme/cosine-power --loss acme/l1-l2 --json` lowers the loss;
//   6. checks the WebAssembly npm installed for @dstft/fft-pffft against its wasm-checksums.json;
//   7. runs the plugin author's own tests (`npm install && npm test` in a copy of the plugin's folder: the window
//      conformance suite of @dstft/testing and a gradient check of the loss), against the same tarballs.
// Usage: node tooling/scripts/check-third-party-plugin.mjs [--tarballs <dir>] [--skip-author-tests] [--keep]
// Needs a build of the published packages first (`npm test` or `pnpm build`).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const exampleDir = path.join(rootDir, 'examples', 'third-party-plugin');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const skipAuthorTests = args.includes('--skip-author-tests');
const tarballArg = args.includes('--tarballs') ? path.resolve(args[args.indexOf('--tarballs') + 1] ?? '') : null;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const failures = [];
const fail = (m) => failures.push(m);
const log = (m = '') => console.log(m);

function run(cmd, argv, { cwd, env = process.env, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
  });
}
const indent = (t) => t.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
// npm warns about the pnpm-only keys `pnpm run` exports; drop them.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(verify_deps_before_run|user_agent|frozen_lockfile|_?pnpm)/i.test(k)));

/** The published packages: every non-private package.json under packages/ and apps/. */
function publishedPackages() {
  return ['packages', 'apps']
    .flatMap((base) => readdirSync(path.join(rootDir, base)).map((d) => path.join(rootDir, base, d)))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(path.join(dir, 'package.json')) }))
    .filter((p) => !p.pkg.private);
}
const tarballName = (name, version) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

// What runs inside the scratch project, against the installed packages only.
const API_CHECK = `import { createDefaultRegistry, createDstft, optimize } from '@dstft/dstft';
import acme from '@acme/dstft-plugins';

const out = {};
const registry = createDefaultRegistry().use(acme);
out.registered = registry.has('window', 'acme/cosine-power') && registry.has('loss', 'acme/l1-l2');

const L = 4096;
const sampleRate = 8000;
// a chirp (500 -> 2500 Hz) plus a tone at 3 kHz
const x = Float64Array.from({ length: L }, (_, p) => {
  const t = p / sampleRate;
  return Math.sin(2 * Math.PI * (500 * t + 0.5 * (2000 / (L / sampleRate)) * t * t)) + 0.5 * Math.sin(2 * Math.PI * 3000 * t);
});
const options = { nFft: 512, signalLength: L, sampleRate, hop: 32, window: 'acme/cosine-power', windowParams: { power: 3 }, theta: 150 };
const d = createDstft(options, { registry });
const loss = registry.get('loss', 'acme/l1-l2');
const lossAt = (theta) => {
  d.params.theta[0] = theta;
  const r = d.forward(x);
  return loss.evaluate({ data: r.spec, batch: 1, freqs: d.freqs, frames: d.frames }, null, {});
};

// the analytic gradient: dL/dS from the loss plugin, then dL/dtheta from the transform's backward pass
const theta0 = 150;
d.params.theta[0] = theta0;
const r = d.forward(x);
const dS = new Float64Array(r.spec.length);
out.loss = loss.evaluate({ data: r.spec, batch: 1, freqs: d.freqs, frames: d.frames }, dS, {});
out.analytic = d.backward(r, { spec: dS }).theta[0];
const h = 1e-3;
out.finiteDifference = (lossAt(theta0 + h) - lossAt(theta0 - h)) / (2 * h);
out.relError = Math.abs(out.analytic - out.finiteDifference) / Math.max(Math.abs(out.analytic), Math.abs(out.finiteDifference));

// a misspelt window parameter is refused with the plugin's declaration
try {
  createDstft({ ...options, windowParams: { pwer: 3 } }, { registry });
  out.typo = 'accepted';
} catch (e) {
  out.typo = e.message;
}

// the plugin loss drives the library's optimizer
d.params.theta[0] = theta0;
const o = optimize(d, x, { loss: 'acme/l1-l2', maxIterations: 15 });
out.optimize = { initial: o.initialLoss, final: o.loss, theta: d.params.theta[0] };
console.log(JSON.stringify(out));
`;

async function main() {
  if (!existsSync(path.join(exampleDir, 'package.json'))) throw new Error(`no example at ${exampleDir}`);
  const pkgs = publishedPackages();
  const unbuilt = pkgs.filter((p) => !existsSync(path.join(p.dir, 'dist', 'index.js'))).map((p) => p.pkg.name);
  if (unbuilt.length) throw new Error(`not built: ${unbuilt.join(', ')}. Fix: run \`pnpm build\` (or npm test) first`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dstft-third-party-'));
  const rel = path.relative(rootDir, tmp);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) throw new Error(`os.tmpdir() is inside the workspace; set TMPDIR elsewhere`);
  try {
    // 1. our tarballs
    let tarballs = tarballArg;
    if (!tarballs) {
      tarballs = path.join(tmp, 'tarballs');
      mkdirSync(tarballs);
      const filters = pkgs.flatMap((p) => ['--filter', p.pkg.name]);
      const r = await run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', tarballs], { cwd: rootDir });
      if (r.code !== 0) throw new Error(`pnpm pack failed:\n${indent(r.stderr + r.stdout)}`);
    }
    const spec = {};
    for (const p of pkgs) {
      const file = path.join(tarballs, tarballName(p.pkg.name, p.pkg.version));
      if (!existsSync(file)) throw new Error(`missing tarball ${file} for ${p.pkg.name}@${p.pkg.version}`);
      spec[p.pkg.name] = `file:${file}`;
    }
    log(`packed ${pkgs.length} @dstft packages (${elapsed()})`);

    // 2. the plugin package, packed as its author would publish it
    const example = readJson(path.join(exampleDir, 'package.json'));
    const packed = await run('npm', ['pack', exampleDir, '--pack-destination', tmp, '--ignore-scripts', '--silent'], { cwd: tmp, env: npmEnv });
    const acmeTgz = path.join(tmp, tarballName(example.name, example.version));
    if (packed.code !== 0 || !existsSync(acmeTgz)) throw new Error(`npm pack ${exampleDir} failed:\n${indent(packed.stderr + packed.stdout)}`);

    // 3. a user's project: the plugin, the library and the CLI; every @dstft package pinned to its tarball
    const app = path.join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      `${JSON.stringify({ name: 'acme-user', private: true, type: 'module', dependencies: { [example.name]: `file:${acmeTgz}`, '@dstft/dstft': spec['@dstft/dstft'], '@dstft/cli': spec['@dstft/cli'] }, overrides: spec }, null, 2)}\n`,
    );
    const npm = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: app, env: npmEnv });
    if (npm.code !== 0) throw new Error(`npm install failed:\n${indent(npm.stderr + npm.stdout)}`);
    const lock = readJson(path.join(app, 'node_modules', '.package-lock.json'));
    for (const [key, entry] of Object.entries(lock.packages ?? {})) {
      if (/node_modules\/@dstft\/[^/]+$/.test(key) && !String(entry.resolved ?? '').startsWith('file:')) fail(`${key} came from ${entry.resolved}, not a local tarball`);
    }
    const installedCore = readJson(path.join(app, 'node_modules', '@dstft', 'core', 'package.json')).version;
    log(`installed ${example.name}@${example.version} with @dstft/dstft and @dstft/cli from the tarballs (core ${installedCore}) (${elapsed()})`);

    // 4. the API
    writeFileSync(path.join(app, 'api-check.mjs'), API_CHECK);
    const api = await run(process.execPath, ['api-check.mjs'], { cwd: app });
    if (api.code !== 0) {
      fail(`API check crashed:\n${indent(api.stderr + api.stdout)}`);
    } else {
      const a = JSON.parse(api.stdout.trim().split('\n').at(-1));
      log(`API: loss acme/l1-l2 = ${a.loss.toFixed(6)} with window acme/cosine-power (power 3, θ = 150)`);
      log(`API: ∂ℒ/∂θ analytic ${a.analytic.toExponential(9)}, central difference (h = 1e-3) ${a.finiteDifference.toExponential(9)}, relative error ${a.relError.toExponential(2)} (limit 1e-6)`);
      log(`API: optimize(…, { loss: 'acme/l1-l2' }): ${a.optimize.initial.toFixed(6)} → ${a.optimize.final.toFixed(6)} at θ = ${a.optimize.theta.toFixed(2)}`);
      if (!a.registered) fail('the preset did not register acme/cosine-power and acme/l1-l2');
      if (!(a.relError <= 1e-6)) fail(`∂ℒ/∂θ: analytic ${a.analytic} vs central difference ${a.finiteDifference}: relative error ${a.relError} > 1e-6`);
      if (!/did you mean 'power'/.test(a.typo)) fail(`windowParams { pwer: 3 } was not refused with "did you mean 'power'" (got: ${a.typo})`);
      if (!(a.optimize.final < a.optimize.initial)) fail(`optimize with acme/l1-l2 did not lower the loss: ${a.optimize.initial} → ${a.optimize.final}`);
    }

    // 5. the CLI as npm linked it
    const bin = path.join(app, 'node_modules', '.bin', 'dstft');
    const listed = await run(bin, ['plugins', '--json', '--plugin', example.name], { cwd: app });
    try {
      const ids = Object.values(JSON.parse(listed.stdout).plugins).flat().map((p) => p.id);
      const ok = ids.includes('acme/cosine-power') && ids.includes('acme/l1-l2');
      log(`CLI: dstft plugins --plugin ${example.name}: ${ok ? 'lists acme/cosine-power and acme/l1-l2' : 'MISSING the plugins'}`);
      if (!ok) fail(`dstft plugins --plugin ${example.name} does not list the plugins: ${ids.join(', ')}`);
    } catch {
      fail(`dstft plugins --json --plugin ${example.name} failed (exit ${listed.code}):\n${indent(listed.stderr + listed.stdout)}`);
    }
    const pluginPath = `./node_modules/${example.name}/src/index.js`;
    const cliArgs = ['optimize', '--json', '--plugin', pluginPath, '--window', 'acme/cosine-power', '--window-params', '{"power":3}', '--loss', 'acme/l1-l2', '--scan', '8', '--starts', '1', '--out', path.join(tmp, 'run')];
    const opt = await run(bin, cliArgs, { cwd: app });
    try {
      const o = JSON.parse(opt.stdout);
      log(`CLI: dstft ${cliArgs.slice(0, -2).join(' ')} …: loss ${o.loss.id} ${o.loss.initial.toFixed(6)} → ${o.loss.optimized.toFixed(6)}, θ = ${o.theta.toFixed(1)}, window ${o.transform.window}`);
      if (!(o.ok === true && o.loss.id === 'acme/l1-l2' && o.transform.window === 'acme/cosine-power' && o.loss.optimized < o.loss.initial)) {
        fail(`dstft optimize with the plugins: expected ok, loss acme/l1-l2 lowered, window acme/cosine-power; got ${JSON.stringify({ ok: o.ok, loss: o.loss, window: o.transform?.window })}`);
      }
      if (!existsSync(path.join(tmp, 'run', 'result.json')) && !readdirSync(path.join(tmp, 'run')).some((f) => f.endsWith('.json'))) fail('dstft optimize wrote no JSON result');
    } catch (e) {
      fail(`dstft optimize --plugin ${pluginPath} failed (exit ${opt.code}): ${e.message}\n${indent(opt.stderr + opt.stdout)}`);
    }

    // 6. the WebAssembly npm installed for @dstft/fft-pffft (a dependency of the CLI) is the one we verified
    const sums = readJson(path.join(app, 'node_modules', '@dstft', 'fft-pffft', 'wasm-checksums.json'));
    const wasmDir = path.join(app, 'node_modules', ...sums.package.split('/'));
    const wasmVersion = readJson(path.join(wasmDir, 'package.json')).version;
    const bad = Object.entries(sums.sha256).filter(([f, h]) => createHash('sha256').update(readFileSync(path.join(wasmDir, f))).digest('hex') !== h);
    if (wasmVersion !== sums.version) fail(`${sums.package}: npm installed ${wasmVersion}, wasm-checksums.json records ${sums.version}`);
    if (bad.length) fail(`${sums.package}@${wasmVersion}: SHA-256 differs from wasm-checksums.json for ${bad.map(([f]) => f).join(', ')}`);
    else log(`wasm: ${sums.package}@${wasmVersion} as installed matches wasm-checksums.json (${Object.keys(sums.sha256).length} files)`);

    // 7. the author's own tests (`npm install && npm test` in the plugin's folder), against the packed @dstft packages
    if (!skipAuthorTests) {
      const author = path.join(tmp, 'author');
      cpSync(exampleDir, author, { recursive: true, filter: (src) => !/[\\/]node_modules([\\/]|$)/.test(src) });
      const apj = readJson(path.join(author, 'package.json'));
      // npm refuses an override that differs from a direct dependency's spec: point both at the tarball
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        for (const dep of Object.keys(apj[field] ?? {})) if (spec[dep] && field !== 'peerDependencies') apj[field][dep] = spec[dep];
      }
      apj.overrides = spec;
      writeFileSync(path.join(author, 'package.json'), `${JSON.stringify(apj, null, 2)}\n`);
      const ai = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: author, env: npmEnv });
      if (ai.code !== 0) fail(`npm install in the plugin's folder failed:\n${indent(ai.stderr + ai.stdout)}`);
      else {
        const t = await run('npm', ['test', '--silent'], { cwd: author, env: { ...npmEnv, NO_COLOR: '1', FORCE_COLOR: '0' } });
        const summary = (t.stdout + t.stderr).split('\n').filter((l) => /Test Files|Tests /.test(l)).map((l) => l.trim()).join('; ');
        log(`author's tests (npm test in the plugin's folder: window conformance suite, loss gradcheck): ${summary || '(no summary)'}`);
        if (t.code !== 0) fail(`the plugin's own tests failed (exit ${t.code}):\n${indent(t.stdout + t.stderr)}`);
      }
    }
  } finally {
    if (keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  fail(String(e?.message ?? e));
}
if (failures.length) {
  console.error(`check-third-party-plugin FAILED (${elapsed()}):`);
  for (const f of failures) console.error(`- ${f}`);
  process.exit(1);
}
log(`check-third-party-plugin: ok (${elapsed()})`);
