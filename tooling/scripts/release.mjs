// Release of the published @dstft/* packages (every non-private package under packages/ and apps/).
//
//   pnpm release:check            dry run (the default): build (turbo, cached), metadata check, version and
//                                 changeset checks, the WebAssembly checksums of @dstft/fft-pffft, pack every
//                                 package with pnpm (workspace:/catalog: ranges rewritten), check the packed
//                                 manifests, `npm publish --dry-run` of each tarball, then the third-party plugin
//                                 check on the same tarballs. Publishes nothing. Exit 1 on any problem.
//   pnpm release                  the same, then publishes those exact tarballs (dependencies first, versions
//                                 already on the registry skipped) and tags the release (`changeset tag`).
//                                 Refuses while a package's repository is the placeholder, while changesets are
//                                 pending, on a dirty tree or off the main branch.
//
// Options: --no-build (reuse the last build, e.g. right after `npm test`), --skip-plugin-check, --verbose (npm's
// full dry-run output), --keep (leave the temp folder).
// Maintenance: --set-repository <https://host/owner/repo> writes repository / homepage / bugs of every published
// package from the real URL (replacing the placeholder); --update-wasm-checksums rewrites
// packages/fft-pffft/wasm-checksums.json from the installed @echogarden/pffft-wasm (review the diff).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The placeholder host of repository / homepage / bugs until the project has a public repository. */
export const PLACEHOLDER_HOST = 'example.invalid';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const optionValue = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const KNOWN = ['--dry-run', '--publish', '--no-build', '--skip-plugin-check', '--verbose', '--keep', '--set-repository', '--update-wasm-checksums'];
for (const a of argv) {
  if (a.startsWith('--') && !KNOWN.includes(a)) {
    console.error(`release: unknown option ${a}. Known: ${KNOWN.join(', ')}`);
    process.exit(2);
  }
}
const publish = flag('--publish');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (m = '') => console.log(m);
const problems = [];
const problem = (m) => problems.push(m);
const notes = [];
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const indent = (t, p = '    ') => t.trimEnd().split('\n').map((l) => p + l).join('\n');
// npm warns about the pnpm-only keys `pnpm run` exports, and about pnpm's keys in .npmrc; drop the former.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(verify_deps_before_run|user_agent|frozen_lockfile|_?pnpm)/i.test(k)));
const quietNpm = (text) => text.split('\n').filter((l) => l.trim() && !/Unknown (project|user|env) config/.test(l)).join('\n');

function run(cmd, args, { cwd = rootDir, env = process.env, timeoutMs = 600_000, inherit = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
  });
}

/** Runs `fn` over `items` with at most `n` at a time; results in order. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// The packages
// ---------------------------------------------------------------------------------------------

const pkgs = ['packages', 'apps']
  .flatMap((base) => readdirSync(path.join(rootDir, base)).map((d) => `${base}/${d}`))
  .filter((rel) => existsSync(path.join(rootDir, rel, 'package.json')))
  .map((rel) => ({ rel, dir: path.join(rootDir, rel), pkg: readJson(path.join(rootDir, rel, 'package.json')) }))
  .filter((p) => !p.pkg.private)
  .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
const byName = new Map(pkgs.map((p) => [p.pkg.name, p]));
const tarballName = (name, version) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

// ---------------------------------------------------------------------------------------------
// Maintenance commands
// ---------------------------------------------------------------------------------------------

if (flag('--set-repository')) {
  const url = optionValue('--set-repository') ?? '';
  const m = /^https:\/\/([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(url);
  if (!m || m[1] === PLACEHOLDER_HOST) {
    console.error(`release --set-repository: expected the repository's https URL (https://github.com/owner/repo), got "${url}"`);
    process.exit(2);
  }
  const base = `https://${m[1]}/${m[2]}`;
  for (const p of pkgs) {
    const file = path.join(p.dir, 'package.json');
    const text = readFileSync(file, 'utf8');
    const pkg = JSON.parse(text);
    pkg.repository = { type: 'git', url: `git+${base}.git`, directory: p.rel };
    pkg.homepage = `${base}/tree/main/${p.rel}#readme`;
    pkg.bugs = { url: `${base}/issues` };
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  log(`repository, homepage and bugs of ${pkgs.length} packages now point at ${base}. Review with git diff, commit.`);
  process.exit(0);
}

function pffftWasmDir() {
  for (const dir of [path.join(rootDir, 'packages/fft-pffft/node_modules'), path.join(rootDir, 'node_modules')]) {
    const d = path.join(dir, '@echogarden', 'pffft-wasm');
    if (existsSync(path.join(d, 'package.json'))) return d;
  }
  return null;
}
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const checksumsFile = path.join(rootDir, 'packages/fft-pffft/wasm-checksums.json');

if (flag('--update-wasm-checksums')) {
  const dir = pffftWasmDir();
  if (!dir) {
    console.error('release --update-wasm-checksums: @echogarden/pffft-wasm is not installed. Fix: pnpm install');
    process.exit(1);
  }
  const sums = readJson(checksumsFile);
  const installed = readJson(path.join(dir, 'package.json'));
  sums.version = installed.version;
  const view = await run('npm', ['view', `${sums.package}@${installed.version}`, 'dist.integrity'], { env: npmEnv });
  sums.integrity = view.stdout.trim() || sums.integrity;
  for (const f of Object.keys(sums.sha256)) sums.sha256[f] = sha256(path.join(dir, f));
  writeFileSync(checksumsFile, `${JSON.stringify(sums, null, 2)}\n`);
  log(`wasm-checksums.json: ${sums.package}@${sums.version}; review the diff (and the upstream changes) before committing.`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// 1. Build (turbo: cached right after `npm test`)
// ---------------------------------------------------------------------------------------------

log(`release ${publish ? '(PUBLISH)' : '(dry run)'}: ${pkgs.length} published packages`);
if (!flag('--no-build')) {
  const filters = pkgs.flatMap((p) => [`--filter=${p.pkg.name}`]);
  const b = await run('pnpm', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (b.code !== 0) {
    console.error(`release: the build failed:\n${indent(b.stdout + b.stderr)}`);
    process.exit(1);
  }
  log(`build: ok (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// 2. Metadata: what a registry page needs, checked field by field
// ---------------------------------------------------------------------------------------------

const rootLicense = readFileSync(path.join(rootDir, 'LICENSE'), 'utf8');
const rootLicenseId = /^MIT License/.test(rootLicense) ? 'MIT' : null;

function exportTargets(exp, out = []) {
  if (typeof exp === 'string') out.push(exp);
  else if (exp && typeof exp === 'object') for (const v of Object.values(exp)) exportTargets(v, out);
  return out;
}

/** Conditions objects of an exports map (the leaves' parents), to check that `types` comes first. */
function conditionObjects(exp, at = 'exports', out = []) {
  if (exp && typeof exp === 'object' && !Array.isArray(exp)) {
    const keys = Object.keys(exp);
    if (keys.length && !keys[0].startsWith('.')) out.push({ at, keys });
    for (const [k, v] of Object.entries(exp)) conditionObjects(v, `${at}["${k}"]`, out);
  }
  return out;
}

const placeholderIn = [];
for (const { pkg, dir, rel } of pkgs) {
  const name = pkg.name;
  const missing = (field, why = 'is missing') => problem(`${name} (${rel}/package.json): field "${field}" ${why}`);
  const nonEmpty = (v) => typeof v === 'string' && v.trim().length > 0;
  if (!/^@dstft\/[a-z0-9-]+$/.test(name ?? '')) missing('name', 'is not @dstft/<lowercase name>');
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version ?? '')) missing('version', 'is not a semver version');
  if (!nonEmpty(pkg.description) || pkg.description.length < 20) missing('description');
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length < 3) missing('keywords', 'is missing or has fewer than 3 entries');
  else if (!pkg.keywords.includes('dstft')) missing('keywords', 'lacks "dstft"');
  if (!nonEmpty(pkg.license)) missing('license');
  else if (rootLicenseId && pkg.license !== rootLicenseId) missing('license', `is "${pkg.license}", the root LICENSE is ${rootLicenseId}`);
  if (!existsSync(path.join(dir, 'LICENSE'))) problem(`${name}: no LICENSE file in ${rel}/`);
  if (!nonEmpty(pkg.author)) missing('author');
  if (!pkg.repository || typeof pkg.repository !== 'object' || !nonEmpty(pkg.repository.url)) missing('repository', 'is missing (an object { type, url, directory })');
  else {
    if (pkg.repository.type !== 'git') missing('repository.type', 'is not "git"');
    if (pkg.repository.directory !== rel) missing('repository.directory', `is not "${rel}"`);
  }
  if (!nonEmpty(pkg.homepage)) missing('homepage');
  if (!nonEmpty(pkg.bugs?.url)) missing('bugs.url');
  for (const v of [pkg.repository?.url, pkg.homepage, pkg.bugs?.url]) {
    if (typeof v === 'string' && v.includes(PLACEHOLDER_HOST)) {
      placeholderIn.push(name);
      break;
    }
  }
  if (!nonEmpty(pkg.engines?.node)) missing('engines.node');
  else if (!/^>=\s*20(\.|$)/.test(pkg.engines.node)) missing('engines.node', `is "${pkg.engines.node}", not ">=20…"`);
  if (pkg.type !== 'module') missing('type', 'is not "module"');
  if (pkg.sideEffects === undefined) missing('sideEffects');
  else if (Array.isArray(pkg.sideEffects)) {
    for (const f of pkg.sideEffects) if (!existsSync(path.join(dir, f))) problem(`${name}: sideEffects lists ${f}, which the build does not produce`);
  } else if (pkg.sideEffects !== false) missing('sideEffects', 'is neither false nor a list of files');
  if (!nonEmpty(pkg.types)) missing('types');
  else if (!existsSync(path.join(dir, pkg.types))) problem(`${name}: "types" points at ${pkg.types}, which does not exist (not built?)`);
  if (!pkg.exports?.['.']) missing('exports["."]');
  else {
    if (pkg.types && pkg.exports['.'].types !== pkg.types) problem(`${name}: "types" (${pkg.types}) differs from exports["."].types (${pkg.exports['.'].types})`);
    for (const { at, keys } of conditionObjects(pkg.exports)) {
      if (keys.includes('types') && keys[0] !== 'types') problem(`${name}: ${at}: the "types" condition must come first (TypeScript takes the first match), got ${keys.join(', ')}`);
      if (!keys.includes('types') && at !== 'exports' && keys.some((k) => k === 'default' || k === 'import') && !at.endsWith('["./package.json"]')) {
        problem(`${name}: ${at} has no "types" condition`);
      }
    }
    for (const t of exportTargets(pkg.exports)) if (!t.includes('*') && !existsSync(path.join(dir, t))) problem(`${name}: exports target ${t} does not exist (not built?)`);
  }
  for (const [bin, target] of Object.entries(typeof pkg.bin === 'string' ? { [name]: pkg.bin } : (pkg.bin ?? {}))) {
    const f = path.join(dir, target);
    if (!existsSync(f)) problem(`${name}: bin ${bin} → ${target} does not exist (not built?)`);
    else if (!readFileSync(f, 'utf8').startsWith('#!/usr/bin/env node')) problem(`${name}: bin ${bin} → ${target} has no #!/usr/bin/env node line`);
    else {
      const v = await run(process.execPath, [f, '--version']);
      if (v.stdout.trim() !== pkg.version) problem(`${name}: \`${bin} --version\` prints "${v.stdout.trim() || v.stderr.trim()}", package.json says ${pkg.version}`);
    }
  }
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist')) missing('files', 'lacks "dist"');
  else if (!pkg.files.includes('CHANGELOG.md')) missing('files', 'lacks "CHANGELOG.md"');
  if (pkg.publishConfig?.access !== 'public') missing('publishConfig.access', 'is not "public" (needed for a scoped package)');
  if (!existsSync(path.join(dir, 'README.md'))) problem(`${name}: no README.md`);
  const changelog = path.join(dir, 'CHANGELOG.md');
  if (!existsSync(changelog)) problem(`${name}: no CHANGELOG.md. Fix: pnpm changeset version`);
  else if (!readFileSync(changelog, 'utf8').includes(`\n## ${pkg.version}\n`)) problem(`${name}: CHANGELOG.md has no "## ${pkg.version}" section. Fix: version with pnpm changeset version, not by hand`);
}

// Versions: the fixed groups of .changeset/config.json move together.
const csConfig = readJson(path.join(rootDir, '.changeset/config.json'));
for (const group of csConfig.fixed ?? []) {
  const versions = new Set(group.map((n) => byName.get(n)?.pkg.version ?? `${n} not found`));
  if (versions.size !== 1) problem(`fixed group (${group.join(', ')}) has several versions: ${[...versions].join(', ')}`);
}
const pending = readdirSync(path.join(rootDir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
if (pending.length) notes.push(`${pending.length} pending changeset(s) (${pending.join(', ')}): the versions above are not final. Run \`pnpm changeset version\` and commit before publishing.`);

// The WebAssembly of @dstft/fft-pffft: what is installed is what wasm-checksums.json records.
{
  const sums = readJson(checksumsFile);
  const dir = pffftWasmDir();
  const pinned = readFileSync(path.join(rootDir, 'pnpm-workspace.yaml'), 'utf8').match(new RegExp(`'${sums.package}':\\s*([^\\s]+)`))?.[1];
  if (!dir) problem(`${sums.package} is not installed (needed by @dstft/fft-pffft). Fix: pnpm install`);
  else {
    const version = readJson(path.join(dir, 'package.json')).version;
    if (version !== sums.version) problem(`${sums.package}: installed ${version}, wasm-checksums.json records ${sums.version}. Fix: review the upstream change, then node tooling/scripts/release.mjs --update-wasm-checksums`);
    if (pinned !== sums.version) problem(`${sums.package}: the catalog pins ${pinned ?? '(nothing)'}, wasm-checksums.json records ${sums.version} (pin the exact version)`);
    const bad = Object.entries(sums.sha256).filter(([f, h]) => !existsSync(path.join(dir, f)) || sha256(path.join(dir, f)) !== h);
    if (bad.length) problem(`${sums.package}@${version}: SHA-256 differs from packages/fft-pffft/wasm-checksums.json for ${bad.map(([f]) => f).join(', ')}`);
    else log(`wasm: ${sums.package}@${version} matches wasm-checksums.json (${Object.keys(sums.sha256).map((f) => path.basename(f)).join(', ')})`);
  }
}

log(`metadata: ${problems.length ? `${problems.length} problem(s)` : `ok (${pkgs.length} packages)`} (${elapsed()})`);
if (placeholderIn.length) {
  const msg = `the repository / homepage / bugs of ${placeholderIn.length} package(s) still point at the placeholder ${PLACEHOLDER_HOST}: publishing is refused until \`node tooling/scripts/release.mjs --set-repository <url>\` sets the real repository`;
  if (publish) problem(msg);
  else notes.push(msg);
}

// ---------------------------------------------------------------------------------------------
// 3. Guards of a real publish
// ---------------------------------------------------------------------------------------------

if (publish) {
  if (pending.length) problem(`${pending.length} changeset(s) pending: run \`pnpm changeset version\`, commit, then publish`);
  const status = await run('git', ['status', '--porcelain', '--untracked-files=no']);
  if (status.stdout.trim()) problem(`uncommitted changes to tracked files: commit them first (a release is built from a commit)\n${indent(status.stdout)}`);
  const branch = (await run('git', ['rev-parse', '--abbrev-ref', 'HEAD'])).stdout.trim();
  if (branch !== csConfig.baseBranch) problem(`on branch ${branch}: releases are published from ${csConfig.baseBranch}`);
  if (problems.length) {
    console.error(`release REFUSED: nothing was packed or published (${problems.length} problem(s)):`);
    for (const p of problems) console.error(`- ${p}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Pack, check the packed manifests, dry-run publish
// ---------------------------------------------------------------------------------------------

const satisfiesRange = (version, range) => {
  const v = version.split('.').map(Number);
  const m = /^([\^~]?)(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!m) return null;
  const b = [Number(m[2]), Number(m[3]), Number(m[4])];
  const ge = v[0] !== b[0] ? v[0] > b[0] : v[1] !== b[1] ? v[1] > b[1] : v[2] >= b[2];
  if (m[1] === '') return v.join('.') === b.join('.');
  if (m[1] === '~') return ge && v[0] === b[0] && v[1] === b[1];
  return ge && (b[0] > 0 ? v[0] === b[0] : b[1] > 0 ? v[0] === 0 && v[1] === b[1] : v.join('.') === b.join('.'));
};

function readFromTarball(tgz, wanted) {
  const buf = gunzipSync(readFileSync(tgz));
  for (let off = 0; off + 512 <= buf.length; ) {
    const h = buf.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const str = (a, b) => h.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const prefix = str(345, 500);
    const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
    if (name.replace(/^[^/]+\//, '') === wanted) return buf.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dstft-release-'));
const cleanup = () => (flag('--keep') ? log(`kept ${tmp}`) : rmSync(tmp, { recursive: true, force: true }));
let exitCode = 0;
try {
  const filters = pkgs.flatMap((p) => ['--filter', p.pkg.name]);
  const packed = await run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', tmp]);
  if (packed.code !== 0) throw new Error(`pnpm pack failed:\n${indent(packed.stderr + packed.stdout)}`);
  for (const p of pkgs) {
    p.tarball = path.join(tmp, tarballName(p.pkg.name, p.pkg.version));
    if (!existsSync(p.tarball)) {
      problem(`${p.pkg.name}: pnpm pack produced no ${path.basename(p.tarball)}`);
      continue;
    }
    const manifest = JSON.parse(readFromTarball(p.tarball, 'package.json') ?? '{}');
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (/^(workspace|catalog):/.test(range)) problem(`${p.pkg.name}: the packed ${field}.${dep} is still "${range}"`);
        const target = byName.get(dep);
        if (target && satisfiesRange(target.pkg.version, range) === false) problem(`${p.pkg.name}: the packed ${field}.${dep} is "${range}", which ${dep}@${target.pkg.version} (this release) does not satisfy`);
      }
    }
    p.packedDeps = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(([d]) => d.startsWith('@dstft/')).map(([d, r]) => `${d.replace('@dstft/', '')}@${r}`);
  }
  log(`pack: ${pkgs.length} tarballs, internal ranges rewritten (${elapsed()})`);

  const dry = await pool(pkgs, 4, async (p) => {
    if (!p.tarball || !existsSync(p.tarball)) return null;
    const r = await run('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', p.tarball], { cwd: tmp, env: npmEnv });
    return { p, r };
  });
  log();
  log(`npm publish --dry-run (registry ${(/Publishing to (\S+)/.exec(dry.find((d) => d)?.r.stderr ?? '') ?? [])[1] ?? '?'}):`);
  for (const d of dry) {
    if (!d) continue;
    const { p, r } = d;
    let info;
    try {
      const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
      info = json[p.pkg.name] ?? json;
    } catch {
      info = null;
    }
    if (r.code !== 0 || !info?.files) {
      problem(`${p.pkg.name}: npm publish --dry-run failed (exit ${r.code}):\n${indent(quietNpm(r.stderr + r.stdout))}`);
      continue;
    }
    const where = /with tag (\S+) and (\S+) access/.exec(r.stderr);
    const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
    log(`  + ${info.id}  ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked, ${info.files.length} files, tag ${where?.[1] ?? '?'}, ${where?.[2] ?? '?'} access${p.packedDeps.length ? `; depends on ${p.packedDeps.join(', ')}` : ''}`);
    log(`      ${info.files.map((f) => f.path).join('  ')}`);
    if (flag('--verbose')) log(indent(quietNpm(r.stderr), '      | '));
    const paths = info.files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) if (!paths.includes(f)) problem(`${p.pkg.name}: the tarball lacks ${f}`);
    const stray = paths.filter((f) => /(^|\/)(src|test|node_modules)\/|\.test\.|\.tmp\.|\.tsbuildinfo$/.test(f));
    if (stray.length) problem(`${p.pkg.name}: the tarball contains files users should not get: ${stray.join(', ')}`);
  }
  log(`npm publish --dry-run: ${dry.filter(Boolean).length} packages (${elapsed()})`);
  log();

  // -------------------------------------------------------------------------------------------
  // 5. The third-party plugin, installed from these tarballs
  // -------------------------------------------------------------------------------------------
  if (!flag('--skip-plugin-check') && problems.length === 0) {
    const c = await run(process.execPath, [path.join(rootDir, 'tooling/scripts/check-third-party-plugin.mjs'), '--tarballs', tmp], { inherit: true });
    if (c.code !== 0) problem('the third-party plugin check failed (above)');
  }

  // -------------------------------------------------------------------------------------------
  // 6. Publish (only with --publish, only without problems): the exact tarballs checked above
  // -------------------------------------------------------------------------------------------
  if (publish && problems.length === 0) {
    const order = [];
    const visit = (p, seen = new Set()) => {
      if (order.includes(p) || seen.has(p)) return;
      seen.add(p);
      for (const d of Object.keys({ ...p.pkg.dependencies, ...p.pkg.peerDependencies })) if (byName.has(d)) visit(byName.get(d), seen);
      order.push(p);
    };
    pkgs.forEach((p) => visit(p));
    for (const p of order) {
      const seen = await run('npm', ['view', `${p.pkg.name}@${p.pkg.version}`, 'version'], { env: npmEnv });
      if (seen.code === 0 && seen.stdout.trim() === p.pkg.version) {
        log(`  = ${p.pkg.name}@${p.pkg.version} is already on the registry: skipped`);
        continue;
      }
      const r = await run('npm', ['publish', '--ignore-scripts', p.tarball], { cwd: tmp, env: npmEnv, inherit: true });
      if (r.code !== 0) {
        problem(`${p.pkg.name}@${p.pkg.version}: npm publish failed (exit ${r.code}); the packages before it are published, rerun \`pnpm release\` to continue`);
        break;
      }
    }
    if (problems.length === 0) {
      await run('pnpm', ['changeset', 'tag'], { inherit: true });
      log('published. Push the tags: git push --follow-tags');
    }
  }
} catch (e) {
  problem(String(e?.message ?? e));
} finally {
  cleanup();
}

for (const n of notes) log(`note: ${n}`);
if (problems.length) {
  console.error(`release${publish ? '' : ' (dry run)'} FAILED (${problems.length} problem(s), ${elapsed()}):`);
  for (const p of problems) console.error(`- ${p}`);
  exitCode = 1;
} else {
  log(`release${publish ? '' : ' (dry run)'}: ok (${elapsed()})${publish ? '' : ': nothing was published'}`);
}
process.exit(exitCode);
