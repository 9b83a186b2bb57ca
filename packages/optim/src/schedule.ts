/**
 * Learning-rate schedules as plain data: a schedule maps the 0-based iteration t to a factor that
 * multiplies every group's lr. Serializable (post it to a Web Worker, store it in a config file).
 */
import { ParameterError, assertInRange, assertInteger } from '@dstft/core';

/** Factor 1 at every iteration. */
export interface ConstantSchedule {
  readonly kind: 'constant';
}
/** `gamma^floor(t / every)`: multiply by `gamma` every `every` iterations. */
export interface StepSchedule {
  readonly kind: 'step';
  readonly every: number;
  readonly gamma: number;
}
/** `gamma^t`. */
export interface ExponentialSchedule {
  readonly kind: 'exponential';
  readonly gamma: number;
}
/** Cosine annealing from 1 (t = 0) down to `min` (t ≥ total): `min + (1 - min)·(1 + cos(π·t/total))/2`. */
export interface CosineSchedule {
  readonly kind: 'cosine';
  readonly total: number;
  readonly min: number;
}
/**
 * Linear warm-up: `(t + 1)/iterations` for t < iterations (so the first step is not zero), then
 * `then` (default constant) with its own clock started at 0: `scheduleFactor(then, t - iterations)`.
 */
export interface WarmupSchedule {
  readonly kind: 'warmup';
  readonly iterations: number;
  readonly then?: Schedule;
}

/** A learning-rate schedule (plain data, by `kind`): the factor applied to the base learning rate at each iteration. */
export type Schedule = ConstantSchedule | StepSchedule | ExponentialSchedule | CosineSchedule | WarmupSchedule;

/** Every `kind` of {@link Schedule}, in the order shown in help texts. */
export const SCHEDULE_KINDS = ['constant', 'step', 'exponential', 'cosine', 'warmup'] as const;

const KEYS: Readonly<Record<Schedule['kind'], readonly string[]>> = {
  constant: ['kind'],
  step: ['kind', 'every', 'gamma'],
  exponential: ['kind', 'gamma'],
  cosine: ['kind', 'total', 'min'],
  warmup: ['kind', 'iterations', 'then'],
};

/**
 * The lr multiplier of `schedule` at the 0-based `iteration` (1 for an undefined schedule). Does not
 * validate the schedule's numbers (optimizers do that once, at create(), with `validateSchedule`).
 */
export function scheduleFactor(schedule: Schedule | undefined, iteration: number): number {
  if (schedule === undefined) return 1;
  const t = iteration;
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'step':
      return Math.pow(schedule.gamma, Math.floor(t / schedule.every));
    case 'exponential':
      return Math.pow(schedule.gamma, t);
    case 'cosine': {
      const u = t >= schedule.total ? 1 : t / schedule.total;
      return schedule.min + (1 - schedule.min) * 0.5 * (1 + Math.cos(Math.PI * u));
    }
    case 'warmup':
      return t < schedule.iterations ? (t + 1) / schedule.iterations : scheduleFactor(schedule.then, t - schedule.iterations);
    default:
      throw new ParameterError('schedule.kind', (schedule as { kind?: unknown }).kind, 'unknown schedule kind', `use one of ${SCHEDULE_KINDS.join(', ')}`);
  }
}

/** Validates a schedule (plain data, no unknown keys); `name` prefixes error messages (`adam.schedule`). */
export function validateSchedule(name: string, schedule: unknown): Schedule {
  if (schedule === null || typeof schedule !== 'object' || Array.isArray(schedule)) {
    throw new ParameterError(name, schedule, 'expected a schedule object', "pass e.g. { kind: 'constant' } or { kind: 'cosine', total: 500, min: 0.01 }");
  }
  const kind = (schedule as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(SCHEDULE_KINDS as readonly string[]).includes(kind)) {
    throw new ParameterError(`${name}.kind`, kind, 'unknown schedule kind', `use one of ${SCHEDULE_KINDS.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  const s = schedule as Record<string, unknown>;
  const known = KEYS[kind as Schedule['kind']];
  for (const key of Object.keys(s)) {
    if (!known.includes(key)) {
      throw new ParameterError(`${name}.${key}`, s[key], `not an option of a '${kind}' schedule`, `remove it; a '${kind}' schedule takes ${known.join(', ')}`);
    }
  }
  const gammaFix = 'pass a decay factor in (0, 1], e.g. 0.5';
  switch (kind as Schedule['kind']) {
    case 'constant':
      return { kind: 'constant' };
    case 'step': {
      assertInteger(`${name}.every`, s['every'], 1, 'pass the number of iterations between decays (an integer ≥ 1)');
      assertInRange(`${name}.gamma`, s['gamma'], 0, 1, gammaFix);
      if (s['gamma'] === 0) throw new ParameterError(`${name}.gamma`, 0, 'must be > 0', gammaFix);
      return { kind: 'step', every: s['every'], gamma: s['gamma'] };
    }
    case 'exponential': {
      assertInRange(`${name}.gamma`, s['gamma'], 0, 1, gammaFix);
      if (s['gamma'] === 0) throw new ParameterError(`${name}.gamma`, 0, 'must be > 0', gammaFix);
      return { kind: 'exponential', gamma: s['gamma'] };
    }
    case 'cosine': {
      assertInteger(`${name}.total`, s['total'], 1, 'pass the number of iterations of the annealing (an integer ≥ 1)');
      assertInRange(`${name}.min`, s['min'], 0, 1, 'pass the final factor in [0, 1] (a fraction of lr), e.g. 0.01');
      return { kind: 'cosine', total: s['total'], min: s['min'] };
    }
    case 'warmup': {
      assertInteger(`${name}.iterations`, s['iterations'], 1, 'pass the warm-up length (an integer ≥ 1)');
      const then = s['then'] === undefined ? undefined : validateSchedule(`${name}.then`, s['then']);
      return then === undefined ? { kind: 'warmup', iterations: s['iterations'] } : { kind: 'warmup', iterations: s['iterations'], then };
    }
  }
}
