/**
 * Typed errors of dstft-ts. Every message names the parameter, the value it had and the fix,
 * in the form `<parameter> = <value>: <problem>. Fix: <fix>`.
 */

/** Base class: every error thrown on purpose by a dstft package is a DstftError. */
export class DstftError extends Error {
  /** Stable machine-readable code, e.g. `ERR_PARAMETER`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Formats a value for an error message: short, exact for numbers, shapes for arrays. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) && 'length' in value) {
    return `${value.constructor.name}(length ${(value as unknown as ArrayLike<number>).length})`;
  }
  if (Array.isArray(value)) {
    // short lists of numbers / strings read best as written: [5000, 6000]
    if (value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'string')) return `[${value.map((v) => describeValue(v)).join(', ')}]`;
    return `Array(length ${value.length})`;
  }
  if (typeof value === 'function') return 'function';
  if (typeof value === 'symbol' || typeof value === 'bigint') return typeof value === 'bigint' ? `${value}n` : value.toString();
  try {
    const s = JSON.stringify(value) as string | undefined; // undefined for e.g. an object whose toJSON returns undefined
    if (s === undefined) return Object.prototype.toString.call(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A parameter has a bad value (out of range, wrong type, not finite...). */
export class ParameterError extends DstftError {
  readonly parameter: string;
  readonly value: unknown;
  readonly fix: string;
  constructor(parameter: string, value: unknown, problem: string, fix: string, code = 'ERR_PARAMETER') {
    super(code, `${parameter} = ${describeValue(value)}: ${problem}. Fix: ${fix}`);
    this.parameter = parameter;
    this.value = value;
    this.fix = fix;
  }
}

/** A parameter has the wrong length / shape. */
export class ShapeError extends ParameterError {
  constructor(parameter: string, value: unknown, problem: string, fix: string) {
    super(parameter, value, problem, fix, 'ERR_SHAPE');
  }
}

/** The input signal is unusable (empty, too short, NaN / Infinity samples). */
export class SignalError extends ParameterError {
  constructor(parameter: string, value: unknown, problem: string, fix: string) {
    super(parameter, value, problem, fix, 'ERR_SIGNAL');
  }
}

/** Misuse of a plugin registry: duplicate id, bad id, frozen registry. */
export class RegistryError extends DstftError {
  constructor(message: string, code = 'ERR_REGISTRY') {
    super(code, message);
  }
}

/** A plugin id that the registry does not hold. */
export class UnknownPluginError extends RegistryError {
  readonly kind: string;
  readonly id: string;
  constructor(kind: string, id: string, available: readonly string[]) {
    super(
      `${kind} id = ${JSON.stringify(id)}: no ${kind} plugin with this id is registered. ` +
        `Fix: use one of ${available.length ? available.map((a) => JSON.stringify(a)).join(', ') : '(none registered)'}` +
        `, or register the plugin with registry.use(plugin) before building the transform`,
      'ERR_UNKNOWN_PLUGIN',
    );
    this.kind = kind;
    this.id = id;
  }
}

/** A plugin written against another plugin API version, or with a malformed shape. */
export class PluginApiError extends RegistryError {
  constructor(message: string) {
    super(message, 'ERR_PLUGIN_API');
  }
}

/** A call made in the wrong state (e.g. backward without a matching forward). */
export class StateError extends DstftError {
  constructor(message: string) {
    super('ERR_STATE', message);
  }
}
