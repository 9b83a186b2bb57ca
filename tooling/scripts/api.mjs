// The public-API guard of the published @dstft/* packages (docs/api-stability.md explains the rules).
//
//   node tooling/scripts/api.mjs check    (pnpm api:check)   needs a build (dist/*.d.ts); exits 1 on any failure:
//     1. report:    each package's public surface, as API Extractor reads it from the built .d.ts, equals the
//                   committed report packages/<pkg>/api/<name>.api.md (a diff and the fix are printed otherwise);
//     2. docs:      every exported symbol of every entry point has a doc comment (members: see DOC_MEMBERS);
//     3. changeset: when a report differs from the one of the package's last release (the last commit that changed
//                   the package's "version"), a pending .changeset/*.md names the package with a bump at least as
//                   high as the change needs (removed or changed signatures: major from 1.0, minor in 0.x;
//                   additions only: minor from 1.0, patch in 0.x).
//   node tooling/scripts/api.mjs update   (pnpm api:update)  rewrites the reports from the current build.
//
// Published packages are those under packages/ without "private": true; every entry of their "exports" map
// that has "types" gets a report ("." -> <name>.api.md, "./plugin" -> <name>-plugin.api.md).
// One TypeScript program (API Extractor's CompilerState) serves every entry point: ~1 s per package otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tempRoot = path.join(root, '.cache/api');
const REPORT_DIR = 'api';
/** Members of exported interfaces and classes must be documented too (false: only the exported symbols). */
const DOC_MEMBERS = false;
const BUMPS = ['none', 'patch', 'minor', 'major'];

const mode = process.argv[2];
if (mode !== 'check' && mode !== 'update') {
  console.error('usage: node tooling/scripts/api.mjs check|update');
  process.exit(2);
}

const rel = (p) => path.relative(root, p).split(path.sep).join('/');

/** Every published package's entry points with types: { pkgDir, pkgName, version, entry (abs .d.ts), reportName }. */
function entryPoints() {
  const out = [];
  for (const dirName of readdirSync(path.join(root, 'packages')).sort()) {
    const pkgDir = path.join(root, 'packages', dirName);
    const pjPath = path.join(pkgDir, 'package.json');
    if (!existsSync(pjPath)) continue;
    const pj = JSON.parse(readFileSync(pjPath, 'utf8'));
    if (pj.private === true) continue;
    const unscoped = pj.name.replace(/^@[^/]+\//, '');
    const exportsMap = typeof pj.exports === 'object' && pj.exports !== null ? pj.exports : { '.': { types: pj.types } };
    for (const [key, target] of Object.entries(exportsMap)) {
      const types = typeof target === 'object' && target !== null ? target.types : undefined;
      if (typeof types !== 'string') continue;
      const suffix = key === '.' ? '' : '-' + key.replace(/^\.\//, '').replace(/[^A-Za-z0-9]+/g, '-');
      out.push({ pkgDir, pkgName: pj.name, version: pj.version, entry: path.join(pkgDir, types), reportName: unscoped + suffix });
    }
  }
  return out;
}

function extractorConfig(ep) {
  const folder = path.join(ep.pkgDir, REPORT_DIR);
  const temp = path.join(tempRoot, ep.reportName);
  mkdirSync(folder, { recursive: true });
  mkdirSync(temp, { recursive: true });
  return ExtractorConfig.prepare({
    configObjectFullPath: path.join(ep.pkgDir, 'api-extractor.json'), // virtual: the config lives here
    packageJsonFullPath: path.join(ep.pkgDir, 'package.json'),
    configObject: {
      projectFolder: ep.pkgDir,
      mainEntryPointFilePath: ep.entry,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022', lib: ['ES2024'], module: 'ESNext', moduleResolution: 'Bundler',
            strict: true, skipLibCheck: true, types: ['node'],
          },
          files: [ep.entry],
        },
      },
      apiReport: { enabled: true, reportFolder: folder, reportTempFolder: temp, reportFileName: ep.reportName },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // No release tags (@public/@beta) in this project: everything an entry point exports is public.
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // Checked below with the exported symbols' own names, which this message does not print.
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
          // A public signature names a type the entry point does not export: kept in the report as a note.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
      },
    },
  });
}

/** Unified diff of two texts (git diff --no-index), or '' when equal. */
function diffText(aLabel, a, bLabel, b) {
  const dir = path.join(tempRoot, 'diff');
  mkdirSync(dir, { recursive: true });
  const fa = path.join(dir, 'a'), fb = path.join(dir, 'b');
  writeFileSync(fa, a);
  writeFileSync(fb, b);
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', '-U2', fa, fb], { encoding: 'utf8' });
    return '';
  } catch (e) {
    if (e.status !== 1) throw e;
    return e.stdout.replace(/^diff --git.*\n/m, '').replace(/^index .*\n/m, '')
      .replace(/^--- .*$/m, `--- ${aLabel}`).replace(/^\+\+\+ .*$/m, `+++ ${bLabel}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Reports
// ---------------------------------------------------------------------------------------------
const eps = entryPoints();
const missingBuild = eps.filter((ep) => !existsSync(ep.entry));
if (missingBuild.length > 0) {
  console.error(`api: no build for ${missingBuild.map((ep) => rel(ep.entry)).join(', ')}.\n` +
    'Fix: build first (pnpm turbo run build --output-logs=errors-only), then rerun.');
  process.exit(1);
}
const t0 = Date.now();
rmSync(tempRoot, { recursive: true, force: true });
const configs = eps.map(extractorConfig);
// One program for all entry points, except those whose exports other packages augment (`declare module`): API
// Extractor cannot analyze an export merged with an augmentation from elsewhere in the program (core's
// WindowParamsMap, augmented by @dstft/windows), and the report must show the package as it ships anyway.
const ALONE = new Set(['@dstft/core']);
const sharedEps = eps.filter((ep) => !ALONE.has(ep.pkgName));
const sharedState = CompilerState.create(configs[eps.indexOf(sharedEps[0])], { additionalEntryPoints: sharedEps.map((ep) => ep.entry) });
const states = eps.map((ep, i) => (ALONE.has(ep.pkgName) ? CompilerState.create(configs[i]) : sharedState));
const failures = [];
const changedReports = [];
for (const [i, ep] of eps.entries()) {
  const config = configs[i];
  const compilerState = states[i];
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: mode === 'update',
    compilerState,
    messageCallback: (m) => {
      m.handled = true; // printed below, once, with the package name
      if (m.logLevel === 'error' || m.logLevel === 'warning') messages.push(`${m.logLevel}: ${m.text}`);
    },
  });
  const reportPath = config.reportConfigs[0] ? path.join(config.reportFolder, config.reportConfigs[0].fileName) : '';
  const tempPath = path.join(config.reportTempFolder, config.reportConfigs[0].fileName);
  for (const m of messages.filter((m) => !/API report|api\.md/.test(m))) console.log(`api: ${ep.pkgName} ${m}`);
  if (!result.succeeded && result.errorCount > 0) failures.push(`${ep.pkgName}: API Extractor reported ${result.errorCount} error(s) (above)`);
  if (mode === 'update') {
    if (result.apiReportChanged) changedReports.push(rel(reportPath));
    continue;
  }
  const committed = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  const current = readFileSync(tempPath, 'utf8');
  if (committed !== current) {
    const label = rel(reportPath);
    console.log(`\napi: the public API of ${ep.pkgName} differs from ${label}${committed ? '' : ' (missing)'}:`);
    console.log(diffText(`${label} (committed)`, committed, `${label} (this build)`, current));
    const { level, why } = classify(committed, current);
    const need = requiredBump(level, ep.version, false);
    failures.push(`${ep.pkgName}: public API differs from ${label}` +
      (need === 'none' ? ' (notes only)' : ` (${level}: ${why}): update the report and add a '${need}' changeset for ${ep.pkgName} ${ep.version}`));
  }
}
const reportMs = Date.now() - t0;

// ---------------------------------------------------------------------------------------------
// 2. Doc comments: every symbol an entry point exports (and, with DOC_MEMBERS, its members)
// ---------------------------------------------------------------------------------------------
const undocumented = [];
/** Where `name` is declared in the package's sources (the .d.ts line is what the build shows otherwise). */
function sourceOf(pkgDir, name) {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []);
  const re = new RegExp(`^export (declare )?(default )?(abstract )?(async )?(interface|type|const|let|function\\*?|class|enum) ${name.replace(/\$/g, '\\$')}\\b`, 'm');
  for (const file of existsSync(path.join(pkgDir, 'src')) ? walk(path.join(pkgDir, 'src')) : []) {
    const text = readFileSync(file, 'utf8');
    const m = re.exec(text);
    if (m) return `${rel(file)}:${text.slice(0, m.index).split('\n').length}`;
  }
  return null;
}
function hasDoc(decl) {
  return ts.getJSDocCommentsAndTags(decl).some((d) => ts.isJSDoc(d) && (d.comment || (d.tags && d.tags.length > 0)));
}
function declsOf(checker, sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  return { decls: target.declarations ?? [] };
}
for (const [i, ep] of eps.entries()) {
  const program = /** @type {ts.Program} */ (states[i].program);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(ep.entry);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) continue;
  for (const exp of checker.getExportsOfModule(moduleSymbol)) {
    const { decls } = declsOf(checker, exp);
    if (decls.length === 0) continue;
    // An overloaded function or merged declaration counts as documented when one of its declarations is.
    if (!decls.some(hasDoc)) {
      const dts = `${rel(decls[0].getSourceFile().fileName)}:${decls[0].getSourceFile().getLineAndCharacterOfPosition(decls[0].getStart()).line + 1}`;
      const where = sourceOf(ep.pkgDir, exp.name) ?? dts;
      undocumented.push(`${ep.pkgName}${ep.reportName.endsWith(ep.pkgName.replace(/^@[^/]+\//, '')) ? '' : ` (${ep.reportName})`}: ${exp.name}  (${where})`);
    }
    if (!DOC_MEMBERS) continue;
    for (const decl of decls) {
      if (!(ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl))) continue;
      for (const member of decl.members) {
        if (ts.isClassDeclaration(decl) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) continue;
        if (!member.name || hasDoc(member)) continue;
        undocumented.push(`${ep.pkgName}: ${exp.name}.${member.name.getText()}`);
      }
    }
  }
}
const docsMs = Date.now() - t0 - reportMs;
const uniqueUndocumented = [...new Set(undocumented)];
if (uniqueUndocumented.length > 0) {
  console.log(`\napi: ${uniqueUndocumented.length} exported symbol(s) without a doc comment:`);
  for (const u of uniqueUndocumented) console.log(`  ${u}`);
  console.log('Fix: add a /** ... */ comment to the declaration in src/ (what it is, units, conventions), rebuild.');
  if (mode === 'check') failures.push(`${uniqueUndocumented.length} exported symbol(s) without a doc comment`);
}

// ---------------------------------------------------------------------------------------------
// 3. Changesets: a report that moved since the package's last release needs a pending changeset of the right bump
// ---------------------------------------------------------------------------------------------
function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}
/** Pending changesets: package name -> highest bump, and which files say so. */
function pendingChangesets() {
  const dir = path.join(root, '.changeset');
  const byPkg = new Map();
  if (!existsSync(dir)) return byPkg;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.md') || f === 'README.md') continue;
    const text = readFileSync(path.join(dir, f), 'utf8');
    const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!fm) continue;
    const compatible = /^API-Compatible:\s*\S/m.test(text.slice(fm[0].length));
    for (const line of fm[1].split(/\r?\n/)) {
      const m = /^\s*["']?([^"':\s]+)["']?\s*:\s*["']?(patch|minor|major)["']?\s*$/.exec(line);
      if (!m) continue;
      const prev = byPkg.get(m[1]) ?? { bump: 'none', files: [], compatible: false };
      if (BUMPS.indexOf(m[2]) > BUMPS.indexOf(prev.bump)) prev.bump = m[2];
      prev.files.push(`.changeset/${f} (${m[2]})`);
      prev.compatible ||= compatible;
      byPkg.set(m[1], prev);
    }
  }
  return byPkg;
}
/**
 * The bump a package will get from the pending changesets: its own, or, in a `fixed` group of
 * .changeset/config.json (which changesets versions together), the highest of the group's.
 */
function effectivePending(pending, name) {
  const configPath = path.join(root, '.changeset/config.json');
  const fixed = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')).fixed ?? [] : [];
  const group = fixed.find((g) => g.includes(name)) ?? [name];
  const out = { bump: 'none', files: [], compatible: false };
  for (const member of group) {
    const p = pending.get(member);
    if (!p) continue;
    if (BUMPS.indexOf(p.bump) > BUMPS.indexOf(out.bump)) out.bump = p.bump;
    out.files.push(...p.files.map((f) => (member === name ? f : `${f} via ${member}, same fixed group`)));
    out.compatible ||= p.compatible;
  }
  return out;
}

/**
 * How a report changed, from its non-comment lines: 'breaking' when a line was removed or changed, or a required
 * member was added to an interface (a plugin or callback that implements the interface no longer compiles);
 * 'additive' when lines were only added; 'none' when only comments/notes moved.
 */
function classify(before, after) {
  const body = (t) => t.split('\n').filter((l) => l.trim() !== '' && !/^\s*\/\//.test(l) && !/^(##|>|```)/.test(l));
  const a = body(before), b = body(after);
  const count = (lines) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map());
  const ca = count(a), cb = count(b);
  const removed = [...ca].filter(([l, n]) => (cb.get(l) ?? 0) < n).map(([l]) => l);
  const added = [...cb].filter(([l, n]) => (ca.get(l) ?? 0) < n).map(([l]) => l);
  if (removed.length > 0) return { level: 'breaking', why: `removed or changed: ${removed[0].trim()}` };
  // A required member (no '?' before its ':' or '(') added anywhere inside an interface or an object type alias,
  // nested object types included: code that implements or passes that type no longer compiles.
  // (Members of a type that is itself new do not count: nobody implements it yet.)
  let inObjectType = false;
  for (const l of b) {
    if (/^export (declare )?(interface |type [^=]*= *\{)/.test(l)) inObjectType = !/}\s*;?\s*$/.test(l) && (ca.get(l) ?? 0) > 0;
    else if (/^}/.test(l)) inObjectType = false;
    else if (inObjectType && added.includes(l) && /^\s+(readonly )?(\[[^\]]+\]|[A-Za-z_$][\w$]*|'[^']*'|"[^"]*")(\(|<|:)/.test(l)) {
      return { level: 'breaking', why: `required member added to an interface or object type: ${l.trim()}` };
    }
  }
  if (added.length > 0) return { level: 'additive', why: `added: ${(added.find((l) => /\w/.test(l)) ?? added[0]).trim()}` };
  return { level: 'none', why: '' };
}
function requiredBump(level, version, compatible) {
  const major = Number(String(version).split('.')[0]);
  if (level === 'breaking' && compatible) level = 'additive';
  if (level === 'none') return 'none';
  if (major >= 1) return level === 'breaking' ? 'major' : 'minor';
  return level === 'breaking' ? 'minor' : 'patch';
}
const changesetOnly = [];
if (mode === 'check') {
  const shallow = git(['rev-parse', '--is-shallow-repository']);
  if (shallow !== 'false') {
    console.log(`api: changeset rule skipped: ${shallow === 'true' ? 'shallow clone (no history to find the last release)' : 'not a git checkout'}.`);
  } else {
    const pending = pendingChangesets();
    // Two walks of the history for every package at once (newest first): the last commit that changed each
    // package.json's "version" line, and the commit that added each report.
    const newestPerFile = (args) => {
      const map = new Map();
      let commit = '';
      for (const line of git(['log', '--format=@%H', '--name-only', ...args]).split('\n')) {
        if (line.startsWith('@')) commit = line.slice(1);
        else if (line.trim() && !map.has(line.trim())) map.set(line.trim(), commit);
      }
      return map;
    };
    const releases = newestPerFile(['-G', '"version"\\s*:', '--', 'packages/*/package.json']);
    const additions = newestPerFile(['--diff-filter=A', '--', `packages/*/${REPORT_DIR}/*.api.md`]);
    for (const ep of eps) {
      const reportRel = rel(path.join(ep.pkgDir, REPORT_DIR, ep.reportName + '.api.md'));
      const pjRel = rel(path.join(ep.pkgDir, 'package.json'));
      // The last release of this package: the newest commit that changed its "version" line (changeset version).
      const release = releases.get(pjRel) ?? '';
      // A report committed after that release is its own baseline (the guard starts when the report does).
      const added = additions.get(reportRel) ?? '';
      if (!added) continue; // not committed yet: api:check's report step already says so, if it differs
      let base = added;
      if (release && isAncestor(added, release)) base = release;
      const before = git(['show', `${base}:${reportRel}`]);
      if (!before) continue;
      const current = readFileSync(path.join(root, reportRel), 'utf8');
      const { level, why } = classify(before, current);
      const have = effectivePending(pending, ep.pkgName);
      const need = requiredBump(level, ep.version, have.compatible);
      if (BUMPS.indexOf(have.bump) < BUMPS.indexOf(need)) {
        const since = base === release ? `its last release (${base.slice(0, 8)}, version ${ep.version})` : `the report was added (${base.slice(0, 8)})`;
        console.log(`\napi: ${ep.pkgName}'s public API changed since ${since} (${why}),` +
          ` which needs a '${need}' changeset; pending for it: ${have.files.length ? have.files.join(', ') : 'none'}.`);
        console.log(`Fix: pnpm changeset, select ${ep.pkgName}, choose '${need}'${need === 'major' ? '' : ' (or higher)'}, describe the change for users.`);
        if (level === 'breaking') {
          console.log('  If no user code can break (e.g. a member added to an interface that only the library creates, or an' +
            ' optional parameter added), add a line "API-Compatible: <why>" to that changeset: the additive bump then' +
            ` suffices ('${requiredBump('additive', ep.version, false)}'); reviewers check the reason (docs/api-stability.md).`);
        }
        failures.push(`${ep.pkgName}: needs a '${need}' changeset (${level} API change)`);
        changesetOnly.push(ep.pkgName);
      }
    }
  }
}
function isAncestor(a, b) {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', a, b], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ms = Date.now() - t0;
if (mode === 'update') {
  console.log(changedReports.length > 0
    ? `api: updated ${changedReports.join(', ')}\nNext: commit them with a changeset of the right bump (docs/api-stability.md).`
    : `api: ${eps.length} reports already match the build.`);
  process.exit(0);
}
if (failures.length > 0) {
  console.log(`\napi:check FAILED (${ms} ms):`);
  for (const f of failures) console.log(`  - ${f}`);
  console.log(changesetOnly.length === failures.length
    ? 'Fix: add the changeset named above (`pnpm changeset`), in the same commit as the API change. Rules: docs/api-stability.md.'
    : 'Fix: if the change is intended, run `pnpm api:update`, commit the reports with the change, and add a' +
      ' changeset (`pnpm changeset`) with the bump named above; if not, restore the previous signature.' +
      ' Rules: docs/api-stability.md.');
  process.exit(1);
}
console.log(`api:check ok: ${eps.length} reports match the build, every export is documented, bumps covered (${reportMs} ms reports, ${docsMs} ms docs, ${ms} ms total).`);
