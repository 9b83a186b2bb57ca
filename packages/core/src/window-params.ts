/**
 * Window parameter declarations (`WindowPlugin.parameters`): checking a declaration (registry, conformance suite),
 * validating a user's `windowParams` against it, and resolving them (declaration check, then the plugin's own
 * `resolveParams`, or a merge over `defaults`). Called once when a transform is built.
 */
import { ParameterError, PluginApiError } from './errors.js';
import type { WindowParamSpec, WindowParams, WindowPlugin } from './plugins.js';
import { checkKnownKeys } from './strict.js';

const TYPES = ['number', 'integer', 'boolean'] as const;
const SPEC_KEYS = ['name', 'type', 'min', 'max', 'minExclusive', 'maxExclusive', 'default', 'description'];

/** `[0, 500]`, `(0, ∞)`, `[2, 8)`: the range of a declared number parameter. */
export function describeParamRange(spec: WindowParamSpec): string {
  const lo = spec.min === undefined ? '(-∞' : `${spec.minExclusive ? '(' : '['}${spec.min}`;
  const hi = spec.max === undefined ? '∞)' : `${spec.max}${spec.maxExclusive ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

/** Why `value` does not satisfy `spec` (type, finiteness, range), or null when it does. */
function paramProblem(spec: WindowParamSpec, value: unknown): string | null {
  if (spec.type === 'boolean') return typeof value === 'boolean' ? null : 'expected true or false';
  if (typeof value !== 'number') return `expected a${spec.type === 'integer' ? 'n integer' : ' number'} in ${describeParamRange(spec)}`;
  if (!Number.isFinite(value)) return `expected a finite ${spec.type} in ${describeParamRange(spec)}`;
  if (spec.type === 'integer' && !Number.isInteger(value)) return `expected an integer in ${describeParamRange(spec)}`;
  const below = spec.min !== undefined && (spec.minExclusive ? !(value > spec.min) : !(value >= spec.min));
  const above = spec.max !== undefined && (spec.maxExclusive ? !(value < spec.max) : !(value <= spec.max));
  return below || above ? `out of range: must lie in ${describeParamRange(spec)}` : null;
}

/**
 * Checks a window plugin's `parameters` declaration: a list of well-formed specs with distinct names whose
 * defaults satisfy them and equal the plugin's `defaults`. Returns the problem, or null when it is fine (or absent).
 * The registry refuses a plugin with a problem (PluginApiError); the conformance suite of @dstft/testing checks it too.
 */
export function windowParamsDeclarationProblem(plugin: { readonly parameters?: unknown; readonly defaults?: unknown }): string | null {
  const list = plugin.parameters;
  if (list === undefined) return null;
  if (!Array.isArray(list)) return '`parameters` must be an array of { name, type, min?, max?, default, description } (use [] for none)';
  const defaults = (plugin.defaults ?? {}) as Readonly<Record<string, unknown>>;
  const names = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as Partial<WindowParamSpec> | null;
    const at = `parameters[${i}]`;
    if (s === null || typeof s !== 'object') return `${at} is not an object`;
    const extra = Object.keys(s).find((k) => !SPEC_KEYS.includes(k));
    if (extra !== undefined) return `${at} has an unknown field \`${extra}\` (fields: ${SPEC_KEYS.join(', ')})`;
    if (typeof s.name !== 'string' || s.name.length === 0) return `${at}.name must be a non-empty string`;
    const label = `parameter '${s.name}'`;
    if (names.has(s.name)) return `${label} is declared twice`;
    names.add(s.name);
    if (!(TYPES as readonly unknown[]).includes(s.type)) return `${label}: type must be one of ${TYPES.join(', ')}`;
    if (typeof s.description !== 'string' || s.description.length === 0) return `${label}: description must be a non-empty one-line string`;
    for (const b of ['min', 'max'] as const) {
      if (s[b] !== undefined && (s.type === 'boolean' || typeof s[b] !== 'number' || Number.isNaN(s[b]))) return `${label}: ${b} must be a number (and only for number / integer parameters)`;
    }
    for (const b of ['minExclusive', 'maxExclusive'] as const) {
      if (s[b] !== undefined && typeof s[b] !== 'boolean') return `${label}: ${b} must be a boolean`;
    }
    if (s.min !== undefined && s.max !== undefined && !(s.min <= s.max)) return `${label}: min ${s.min} is above max ${s.max}`;
    const p = paramProblem(s as WindowParamSpec, s.default);
    if (p !== null) return `${label}: its default ${String(s.default)} is invalid (${p})`;
    if (!Object.is(defaults[s.name], s.default)) return `${label}: default ${String(s.default)} differs from defaults.${s.name} = ${String(defaults[s.name])}`;
  }
  const undeclared = Object.keys(defaults).find((k) => !names.has(k));
  if (undeclared !== undefined) return `defaults.${undeclared} is not declared in \`parameters\``;
  return null;
}

/**
 * Validates a user's `windowParams` against the plugin's declaration, when it has one: an object whose keys are all
 * declared (an unknown key throws a ParameterError naming `windowParams.<key>`, its value, the window id and
 * "did you mean 'beta'?"), each value of its declared type and inside its range (else a ParameterError naming the
 * parameter, the value and the range). `undefined` values mean "the default". Without a declaration only the shape
 * (a plain object) is checked; the plugin's `resolveParams` stays responsible.
 */
export function validateWindowParams(plugin: Pick<WindowPlugin, 'id' | 'parameters'>, params: unknown): Readonly<Record<string, unknown>> {
  const decl = plugin.parameters;
  const owner = `the '${plugin.id}' window`;
  const names = decl ? decl.map((s) => s.name) : null;
  const example = decl && decl.length ? `{ ${decl.map((s) => `${s.name}: ${String(s.default)}`).join(', ')} }` : '{}';
  if (names === null) {
    if (params === undefined || params === null) return {};
    if (typeof params !== 'object' || Array.isArray(params)) {
      throw new ParameterError('windowParams', params, `${owner} takes an object of parameters`, `pass an object (or leave windowParams out for the defaults)`);
    }
    return params as Readonly<Record<string, unknown>>;
  }
  const rec = checkKnownKeys(params, names, { owner, prefix: 'windowParams', noun: 'parameter', example });
  for (const spec of decl!) {
    const v = rec[spec.name];
    if (v === undefined) continue;
    const problem = paramProblem(spec, v);
    if (problem !== null) {
      throw new ParameterError(`windowParams.${spec.name}`, v, `${problem} (${owner}: ${spec.description})`, `pass e.g. { ${spec.name}: ${String(spec.default)} } (the default)`);
    }
  }
  return rec;
}

/**
 * The parameters a transform uses: `windowParams` validated against the declaration (when present), then completed
 * by the plugin's `resolveParams`, or merged over its `defaults` when it has none. `undefined` entries are dropped
 * (they mean "the default").
 */
export function resolveWindowParams<P extends WindowParams>(plugin: WindowPlugin<P>, params: unknown): P {
  const rec = validateWindowParams(plugin as WindowPlugin, params);
  const given: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) if (rec[k] !== undefined) given[k] = rec[k];
  return plugin.resolveParams ? plugin.resolveParams(given) : ({ ...plugin.defaults, ...given } as P);
}

/** Throws a PluginApiError when a window plugin's `parameters` declaration is malformed. */
export function assertWindowParamsDeclaration(plugin: { readonly id?: unknown; readonly parameters?: unknown; readonly defaults?: unknown }): void {
  const problem = windowParamsDeclarationProblem(plugin);
  if (problem !== null) {
    throw new PluginApiError(`window plugin ${JSON.stringify(plugin.id)}: ${problem}. Fix: declare each parameter as { name, type, min?, max?, minExclusive?, maxExclusive?, default, description } matching \`defaults\``);
  }
}
