/**
 * The plugin registry: an instance, never a global (unified-style), holding plain-object plugins
 * (vite/ESLint-style). Nothing registers itself on import: the umbrella package's
 * `createDefaultRegistry()` is the only place that adds the built-ins.
 */
import { PluginApiError, RegistryError, UnknownPluginError } from './errors.js';
import { windowParamsDeclarationProblem } from './window-params.js';
import {
  API_VERSION,
  BUILTIN,
  type AnyPlugin,
  type Pluggable,
  type PluginBase,
  type PluginKind,
  type PluginKindMap,
  type Preset,
} from './plugins.js';

/** Checks a plugin of one kind; returns a problem description, or null when the plugin is well-formed. */
export type KindValidator = (plugin: Readonly<Record<string, unknown>>) => string | null;

/** Options of {@link Registry.use}. */
export interface UseOptions {
  /** Replace an already registered plugin with the same kind and id (otherwise that is an error). */
  readonly override?: boolean;
}

/** Options of {@link createRegistry}. */
export interface RegistryOptions {
  /** Extra plugin kinds with their runtime validators (the built-in six are always known). */
  readonly kinds?: Readonly<Record<string, KindValidator>>;
}

/** Read access, shared by open and frozen registries. */
export interface RegistryView {
  readonly frozen: boolean;
  /** The plugin of this kind and id; throws UnknownPluginError listing what exists. */
  get<K extends PluginKind>(kind: K, id: string): PluginKindMap[K];
  get(kind: string, id: string): PluginBase<string>;
  has(kind: string, id: string): boolean;
  /** Ids of one kind, sorted. */
  ids(kind: string): string[];
  /** Every plugin, optionally of one kind, sorted by kind then id. */
  list(kind?: string): PluginBase<string>[];
  /** Kinds this registry accepts. */
  kinds(): string[];
}

/**
 * An open plugin registry: add plugins with `use`, then `freeze` it before handing it to a transform. Lookups (`get`,
 * `list`, `has`) come from {@link RegistryView}.
 */
export interface Registry extends RegistryView {
  /** Adds plugins / presets / arrays of them. Throws on duplicates (unless `override`), bad ids, wrong apiVersion. */
  use(pluggable: Pluggable, options?: UseOptions): Registry;
  /** Ends configuration: later `use()` calls throw. Returns the read-only view. */
  freeze(): FrozenRegistry;
  /** An open copy (same plugins), to configure further after a freeze. */
  clone(): Registry;
}

/** A registry after `freeze()`: read-only (`use` is gone); `clone()` gives an open copy to extend. */
export interface FrozenRegistry extends RegistryView {
  readonly frozen: true;
  /** Already frozen: returns itself. */
  freeze(): FrozenRegistry;
  clone(): Registry;
}

const ID_RE = /^(?:[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const KIND_RE = /^[a-z][a-z0-9-]*$/;

function needsFunctions(...names: string[]): KindValidator {
  return (p) => {
    const missing = names.filter((n) => typeof p[n] !== 'function');
    return missing.length ? `missing method(s) ${missing.join(', ')}` : null;
  };
}

const validateWindow: KindValidator = (p) => {
  const base = needsFunctions('evaluate', 'supportHalfWidth')(p);
  if (base) return base;
  const g = p['gradients'] as { theta?: unknown; x?: unknown } | undefined;
  if (!g || typeof g.theta !== 'boolean' || typeof g.x !== 'boolean') {
    return 'missing `gradients: { theta: boolean, x: boolean }`';
  }
  if (typeof p['continuousInTheta'] !== 'boolean') return 'missing `continuousInTheta: boolean`';
  if (typeof p['defaults'] !== 'object' || p['defaults'] === null) return 'missing `defaults` object (use {} for none)';
  // optional member of plugin API 1: absent (or undefined) is fine, anything else must be a function
  if (p['evaluateGrid'] !== undefined && typeof p['evaluateGrid'] !== 'function') {
    return `\`evaluateGrid\` is ${p['evaluateGrid'] === null ? 'null' : typeof p['evaluateGrid']}; when present it must be a function (x0, step, start, end, theta, params, out) => void (or leave it out)`;
  }
  return windowParamsDeclarationProblem(p);
};

const validateFft: KindValidator = (p) => {
  if (typeof p['description'] !== 'string') return 'missing `description: string`';
  const b = p['backend'] as Record<string, unknown> | null | undefined;
  if (!b || typeof b !== 'object') return 'missing `backend` (an FftBackend: { id, precision, supports, createRealPlan })';
  if (b['id'] !== p['id']) return `backend.id = ${JSON.stringify(b['id'])} differs from the plugin's id (they must be the same: transforms record it)`;
  if (b['precision'] !== 'float32' && b['precision'] !== 'float64') return 'backend.precision must be "float32" or "float64"';
  if (typeof b['supports'] !== 'function' || typeof b['createRealPlan'] !== 'function') return 'backend needs supports(n) and createRealPlan(n)';
  return null;
};

const validateLoss: KindValidator = (p) => {
  const missing = needsFunctions('evaluate')(p);
  if (missing !== null) return missing;
  // optional member of plugin API 1: the loss split by frames
  const f = p['framewise'] as Record<string, unknown> | null | undefined;
  if (f === undefined) return null;
  if (f === null || typeof f !== 'object') return '`framewise`, when present, must be an object { statsPerFrame, coefPerSignal, frameStats, signalTerm, combine, frameGrad } (or leave it out)';
  for (const k of ['statsPerFrame', 'coefPerSignal']) {
    if (!Number.isInteger(f[k]) || (f[k] as number) < 0) return `framewise.${k} must be an integer ≥ 0`;
  }
  for (const k of ['frameStats', 'signalTerm', 'combine', 'frameGrad']) {
    if (typeof f[k] !== 'function') return `framewise.${k} must be a function`;
  }
  // optional forward-mode form: all three members or none
  const tangent = ['tangentPerFrame', 'frameTangent', 'tangentDot'].filter((k) => f[k] !== undefined);
  if (tangent.length > 0) {
    if (tangent.length < 3) return 'framewise: the forward-mode form needs all of tangentPerFrame, frameTangent and tangentDot (or none)';
    if (!Number.isInteger(f['tangentPerFrame']) || (f['tangentPerFrame'] as number) < 1) return 'framewise.tangentPerFrame must be an integer ≥ 1';
    if (typeof f['frameTangent'] !== 'function' || typeof f['tangentDot'] !== 'function') return 'framewise.frameTangent and framewise.tangentDot must be functions';
  }
  return null;
};

const BUILTIN_KINDS: Readonly<Record<PluginKind, KindValidator>> = {
  window: validateWindow,
  loss: validateLoss,
  regularizer: needsFunctions('evaluate'),
  optimizer: needsFunctions('create'),
  fft: validateFft,
  task: (p) => needsFunctions('loss')(p) ?? (typeof p['description'] === 'string' ? null : 'missing `description: string`') ?? (p['generate'] !== undefined && typeof p['generate'] !== 'function' ? '`generate` must be a function when present' : null),
};

function isPreset(p: object): p is Preset {
  return !('kind' in p) && 'plugins' in p && Array.isArray((p as Preset).plugins);
}

function pluginLabel(p: Readonly<Record<string, unknown>>): string {
  const kind = typeof p['kind'] === 'string' ? p['kind'] : '?';
  const id = typeof p['id'] === 'string' ? JSON.stringify(p['id']) : '(no id)';
  return `${kind} plugin ${id}`;
}

class RegistryImpl implements Registry {
  #frozen = false;
  readonly #validators: Map<string, KindValidator>;
  readonly #plugins = new Map<string, Map<string, PluginBase<string>>>();

  constructor(validators: Map<string, KindValidator>) {
    this.#validators = validators;
    for (const kind of validators.keys()) this.#plugins.set(kind, new Map());
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  use(pluggable: Pluggable, options: UseOptions = {}): Registry {
    if (this.#frozen) {
      throw new RegistryError(
        'registry.use(): this registry is frozen (it was frozen when configuration ended, e.g. by building a ' +
          'transform). Fix: register every plugin before building, or call registry.clone() to get an open copy',
        'ERR_REGISTRY_FROZEN',
      );
    }
    this.#add(pluggable, options, 0);
    return this;
  }

  #add(p: Pluggable, options: UseOptions, depth: number): void {
    if (p === false || p === null || p === undefined) return;
    if (depth > 32) throw new RegistryError('registry.use(): presets nest more than 32 levels deep (a cycle?)');
    if (Array.isArray(p)) {
      for (const item of p as readonly Pluggable[]) this.#add(item, options, depth + 1);
      return;
    }
    if (typeof p !== 'object') {
      throw new PluginApiError(
        `registry.use(): got ${typeof p}. Fix: pass a plugin object { kind, id, apiVersion, ... }, a preset { name, plugins }, or an array of them`,
      );
    }
    if (isPreset(p)) {
      for (const item of p.plugins) this.#add(item, options, depth + 1);
      return;
    }
    this.#addPlugin(p as unknown as Readonly<Record<string | symbol, unknown>>, options);
  }

  #addPlugin(p: Readonly<Record<string | symbol, unknown>>, options: UseOptions): void {
    const rec = p as Readonly<Record<string, unknown>>;
    const label = pluginLabel(rec);
    const kind = rec['kind'];
    const id = rec['id'];
    if (typeof kind !== 'string' || !KIND_RE.test(kind)) {
      throw new PluginApiError(`${label}: kind = ${JSON.stringify(kind)} is not a plugin kind. Fix: set kind to one of ${this.kinds().join(', ')}`);
    }
    const validator = this.#validators.get(kind);
    if (!validator) {
      throw new PluginApiError(
        `${label}: kind = ${JSON.stringify(kind)} is unknown to this registry. Fix: use one of ${this.kinds().join(', ')}, ` +
          `or create the registry with createRegistry({ kinds: { ${kind}: validate } })`,
      );
    }
    if (typeof id !== 'string' || !ID_RE.test(id)) {
      throw new PluginApiError(
        `${label}: id = ${JSON.stringify(id)} is malformed. Fix: use lowercase "namespace/name" (letters, digits, - _ .), e.g. "acme/kaiser"`,
      );
    }
    if (!id.includes('/') && p[BUILTIN] !== true) {
      throw new PluginApiError(
        `${label}: id = ${JSON.stringify(id)} has no namespace; plain ids are reserved for dstft's built-in plugins. ` +
          `Fix: prefix it with your namespace, e.g. "acme/${id}"`,
      );
    }
    if (rec['apiVersion'] !== API_VERSION) {
      throw new PluginApiError(
        `${label}: apiVersion = ${JSON.stringify(rec['apiVersion'])}, but this @dstft/core speaks plugin API ${API_VERSION}. ` +
          `Fix: use a version of the plugin built for plugin API ${API_VERSION}, or upgrade @dstft/core`,
      );
    }
    const problem = validator(rec);
    if (problem) throw new PluginApiError(`${label}: ${problem}. Fix: see the ${kind} plugin interface in @dstft/core`);
    const bucket = this.#plugins.get(kind)!;
    const existing = bucket.get(id);
    if (existing && existing !== (p as unknown) && !options.override) {
      throw new RegistryError(
        `${label} is already registered${existing.meta ? ` (by ${existing.meta.name})` : ''}. ` +
          'Fix: pick another id, or pass { override: true } to replace it on purpose',
        'ERR_DUPLICATE_PLUGIN',
      );
    }
    bucket.set(id, p as unknown as PluginBase<string>);
  }

  freeze(): FrozenRegistry {
    this.#frozen = true;
    return this as unknown as FrozenRegistry;
  }

  clone(): Registry {
    const copy = new RegistryImpl(new Map(this.#validators));
    for (const [kind, bucket] of this.#plugins) {
      const target = copy.#plugins.get(kind)!;
      for (const [id, plugin] of bucket) target.set(id, plugin);
    }
    return copy;
  }

  get<K extends PluginKind>(kind: K, id: string): PluginKindMap[K];
  get(kind: string, id: string): PluginBase<string>;
  get(kind: string, id: string): PluginBase<string> {
    const plugin = this.#plugins.get(kind)?.get(id);
    if (!plugin) throw new UnknownPluginError(kind, id, this.ids(kind));
    return plugin;
  }

  has(kind: string, id: string): boolean {
    return this.#plugins.get(kind)?.has(id) ?? false;
  }

  ids(kind: string): string[] {
    return [...(this.#plugins.get(kind)?.keys() ?? [])].sort();
  }

  list(kind?: string): PluginBase<string>[] {
    const kinds = kind === undefined ? this.kinds() : [kind];
    return kinds.flatMap((k) => this.ids(k).map((id) => this.#plugins.get(k)!.get(id)!));
  }

  kinds(): string[] {
    return [...this.#validators.keys()].sort();
  }
}

/** A new, empty, open registry. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const validators = new Map<string, KindValidator>(Object.entries(BUILTIN_KINDS));
  for (const [kind, validate] of Object.entries(options.kinds ?? {})) {
    if (!KIND_RE.test(kind)) {
      throw new RegistryError(`createRegistry(): kind = ${JSON.stringify(kind)} is malformed. Fix: use lowercase letters, digits and -`);
    }
    if (validators.has(kind)) {
      throw new RegistryError(`createRegistry(): kind = ${JSON.stringify(kind)} is built in already. Fix: remove it from options.kinds`);
    }
    if (typeof validate !== 'function') {
      throw new RegistryError(`createRegistry(): kinds.${kind} = ${typeof validate}: expected a validator function returning a problem string or null`);
    }
    validators.set(kind, validate);
  }
  return new RegistryImpl(validators);
}

/** Marks a plugin object as built in (only dstft's own packages call this). Returns the same object. */
export function markBuiltin<P extends AnyPlugin>(plugin: P): P {
  Object.defineProperty(plugin, BUILTIN, { value: true, enumerable: false });
  return plugin;
}
