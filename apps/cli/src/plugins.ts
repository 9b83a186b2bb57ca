/**
 * `--plugin <package>`: imports a package (resolved from the current folder, like `node` would from a script there,
 * or a path to a file / folder) and passes its default export to `registry.use()`: a plugin, a preset
 * `{ name, plugins }` or an array of them. Ids keep their namespace (`acme/kaiser`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pluggable, Registry } from '@dstft/dstft';
import { CliError, UsageError, translateFix } from './errors.js';

class PluginLoadError extends CliError {
  constructor(message: string) {
    super(message, 1, 'ERR_PLUGIN_LOAD');
  }
}

function entryOfPackageDir(dir: string): string | null {
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) {
    const idx = join(dir, 'index.js');
    return existsSync(idx) ? idx : null;
  }
  const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { exports?: unknown; module?: string; main?: string };
  let target: unknown = pkg.exports;
  if (target && typeof target === 'object' && !Array.isArray(target) && '.' in (target as object)) target = (target as Record<string, unknown>)['.'];
  for (let depth = 0; target && typeof target === 'object' && !Array.isArray(target) && depth < 5; depth++) {
    const t = target as Record<string, unknown>;
    target = t['import'] ?? t['node'] ?? t['default'];
  }
  const rel = typeof target === 'string' ? target : (pkg.module ?? pkg.main ?? 'index.js');
  return join(dir, rel);
}

/** The file URL to import for `spec`, looked up from `cwd` (node_modules upwards), or null. */
export function resolvePlugin(spec: string, cwd: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) {
    const abs = resolve(cwd, spec);
    if (!existsSync(abs)) return null;
    const file = statSync(abs).isDirectory() ? entryOfPackageDir(abs) : abs;
    return file && existsSync(file) ? pathToFileURL(file).href : null;
  }
  // a package name: node_modules of cwd and its ancestors
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', spec);
    if (existsSync(join(candidate, 'package.json'))) {
      const file = entryOfPackageDir(candidate);
      if (file && existsSync(file)) return pathToFileURL(file).href;
    }
    if (dirname(dir) === dir) break;
  }
  try {
    return pathToFileURL(createRequire(join(resolve(cwd), 'noop.js')).resolve(spec)).href;
  } catch {
    return null;
  }
}

/** Loads each package and registers its default export. Returns what each one added. */
export async function loadPlugins(specs: readonly string[], registry: Registry, cwd = process.cwd()): Promise<{ package: string; added: string[] }[]> {
  const out: { package: string; added: string[] }[] = [];
  for (const spec of specs) {
    if (!spec) throw new UsageError('--plugin needs a package name or a path');
    let url = resolvePlugin(spec, cwd);
    let mod: Record<string, unknown>;
    try {
      // a package installed next to the CLI (e.g. both installed globally) is found by a bare import
      if (url === null && !spec.startsWith('.') && !spec.startsWith('/')) url = spec;
      if (url === null) throw Object.assign(new Error('not found'), { code: 'ERR_MODULE_NOT_FOUND' });
      mod = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_MODULE_NOT_FOUND' && (url === spec || url === null)) {
        throw new PluginLoadError(`--plugin = "${spec}": package not found from ${resolve(cwd)}. Fix: install it (npm install ${spec}) in this folder, or pass a path to the plugin file`);
      }
      throw new PluginLoadError(`--plugin = "${spec}": cannot be imported (${(e as Error).message}). Fix: check that the package is built and is an ES module`);
    }
    const plugin = mod['default'];
    if (plugin === undefined || plugin === null || typeof plugin !== 'object') {
      throw new PluginLoadError(`--plugin = "${spec}": its default export is ${plugin === null ? 'null' : typeof plugin}, expected a plugin, a preset { name, plugins } or an array of them. Fix: export default the plugin object`);
    }
    const before = new Set(registry.list().map((p) => `${p.kind}:${p.id}`));
    try {
      registry.use(plugin as Pluggable);
    } catch (e) {
      // the registry's fix speaks to the plugin's author (registry.use(), { override: true }); the CLI user can only
      // change the command line
      const m = (e as Error).message;
      const k = m.indexOf('. Fix: ');
      const fix = k >= 0 ? translateFix(m.slice(k + 7)) : '';
      const problem = k >= 0 ? m.slice(0, k) : m;
      throw new PluginLoadError(
        `--plugin = "${spec}": not a plugin this dstft can load (${problem.replace(/^registry\.use\(\):\s*/, '')}). Fix: ${fix && !fix.startsWith('see `dstft') ? `${fix}, or ` : ''}drop --plugin ${spec}, or install a version of it made for this dstft`,
      );
    }
    out.push({ package: spec, added: registry.list().map((p) => `${p.kind}:${p.id}`).filter((k) => !before.has(k)) });
  }
  return out;
}
