// The conformance checks must be able to fail: each is run on a deliberately broken plugin.
import { API_VERSION, markBuiltin, type WindowEval, type WindowPlugin } from '@dstft/core';
import { defineDilationWindow, hamming, hann } from '@dstft/windows';
import { describe, expect, it } from 'vitest';
import {
  checkFrameWindow,
  checkWindowBounds,
  checkWindowDerivatives,
  checkWindowEdgeContinuity,
  checkWindowFiniteness,
  checkWindowGrid,
  checkWindowRegistration,
  checkWindowSupport,
  type CheckReport,
} from '../src/index.js';

const TWO_PI = 2 * Math.PI;
const hannSpec = {
  continuousInTheta: true,
  shape: (u: number) => 0.5 + 0.5 * Math.cos(TWO_PI * u),
  dShape: (u: number) => -Math.PI * Math.sin(TWO_PI * u),
};

/** A hand-written Hann plugin whose evaluate can be sabotaged. */
function handHann(id: string, sabotage: (k: number, x: Float64Array, out: WindowEval, theta: number) => void = () => {}): WindowPlugin {
  return {
    kind: 'window',
    id,
    apiVersion: API_VERSION,
    gradients: { theta: true, x: true },
    continuousInTheta: true,
    defaults: {},
    supportHalfWidth: (theta) => theta / 2,
    evaluate(x, start, end, theta, _p, out) {
      hann.evaluate(x, start, end, theta, {}, out);
      for (let k = start; k < end; k++) sabotage(k, x, out, theta);
    },
  };
}

function expectFails(r: CheckReport, pattern: RegExp): void {
  expect(r.ok, r.message).toBe(false);
  expect(r.message).toMatch(pattern);
}

describe('window checks pass on a correct third-party window', () => {
  const good = handHann('acme/hann');
  it.each([
    ['registration', checkWindowRegistration],
    ['bounds', checkWindowBounds],
    ['support', checkWindowSupport],
    ['finiteness', checkWindowFiniteness],
    ['derivatives', checkWindowDerivatives],
    ['edge continuity', checkWindowEdgeContinuity],
  ] as const)('%s', (_name, check) => {
    const r = check(good);
    expect(r.ok, r.message).toBe(true);
  });
});

describe('window checks fail on broken plugins', () => {
  it('a derivative off by 1e-4 relative', () => {
    const off = defineDilationWindow({ id: 'acme/off', ...hannSpec, dShape: (u) => 1.0001 * hannSpec.dShape(u) });
    expectFails(checkWindowDerivatives(off), /∂w\/∂x at θ = .*error/);
    expectFails(checkWindowDerivatives(off), /∂w\/∂θ/);
  });

  it('∂w/∂θ with the wrong sign (but ∂w/∂x right)', () => {
    const bad = handHann('acme/sign', (k, _x, out) => {
      if (out.dTheta) out.dTheta[k] = -out.dTheta[k]!;
    });
    const r = checkWindowDerivatives(bad);
    expectFails(r, /∂w\/∂θ/);
    expect(r.message).not.toMatch(/^∂w\/∂x at/m);
    // and through FrameWindow
    expectFails(checkFrameWindow(bad, 16, 'paper'), /dTheta\[\d+\]/);
  });

  it('∂w/∂x wrong only through the frame position (FrameWindow check)', () => {
    const bad = handHann('acme/dx', (k, _x, out) => {
      if (out.dX) out.dX[k]! *= 1.001;
    });
    expectFails(checkFrameWindow(bad, 17, 'unit'), /-dX \(∂\/∂frac\)/);
  });

  it('writing outside [start, end)', () => {
    const bad = handHann('acme/overrun', (k, _x, out) => {
      if (k + 1 < out.w.length) out.w[k + 1] = 0.5;
    });
    expectFails(checkWindowBounds(bad), /overwritten/);
  });

  it('writing into a null dTheta (throws), or leaving entries unwritten', () => {
    const careless: WindowPlugin = {
      ...handHann('acme/careless'),
      evaluate(x, start, end, theta, _p, out) {
        for (let k = start; k < end; k++) {
          out.w[k] = 1;
          (out.dTheta as Float64Array)[k] = 0;
        }
      },
    };
    expectFails(checkWindowBounds(careless), /threw/);
    const lazy: WindowPlugin = {
      ...handHann('acme/lazy'),
      evaluate(x, start, end, theta, _p, out) {
        for (let k = start; k < end; k++) if (x[k]! >= -theta / 2 && x[k]! < theta / 2) out.w[k] = 1; // zeros never written
      },
    };
    expectFails(checkWindowBounds(lazy), /was not written/);
  });

  it('nonzero outside the declared support', () => {
    const wide = defineDilationWindow({ id: 'acme/wide', ...hannSpec, halfWidth: () => 0.75, shape: () => 1, dShape: () => 0 });
    const lying = { ...wide, supportHalfWidth: (theta: number) => theta / 2 };
    expectFails(checkWindowSupport(lying), /lies outside .* but w = 1/);
  });

  it('NaN for some θ', () => {
    const nan = handHann('acme/nan', (k, _x, out, theta) => {
      if (theta > 1000) out.w[k] = Number.NaN;
    });
    expectFails(checkWindowFiniteness(nan), /w = NaN/);
  });

  it('a plain id without markBuiltin, and a namespaced id with it', () => {
    expectFails(checkWindowRegistration(defineDilationWindow({ id: 'plain', ...hannSpec })), /threw: .*no namespace/);
    expectFails(checkWindowRegistration(markBuiltin(defineDilationWindow({ id: 'acme/fake-builtin', ...hannSpec }))), /must not call markBuiltin/);
    expect(checkWindowRegistration(hann).ok).toBe(true);
  });

  it('continuousInTheta: true on a window that does not vanish at its edge', () => {
    const claims = { ...hamming, continuousInTheta: true };
    expectFails(checkWindowEdgeContinuity(claims), /declare continuousInTheta: false/);
    expect(checkWindowEdgeContinuity(hamming).ok).toBe(true);
  });

  it('a window that is not smooth inside its support cannot be verified', () => {
    // a staircase: FD at two step sizes disagree everywhere near its many jumps
    const stairs = defineDilationWindow({
      id: 'acme/stairs',
      continuousInTheta: false,
      shape: (u) => Math.floor(8 * (u + 0.5)) / 8 + 1e-3 * Math.sin(4000 * u),
      dShape: (u) => 4 * Math.cos(4000 * u),
    });
    expectFails(checkWindowDerivatives(stairs, { points: 200 }), /disagree|error/);
  });
});

describe('checkWindowGrid (the optional evaluateGrid)', () => {
  it('passes on the built-in cosine-series windows and, with nothing checked, on windows without evaluateGrid', () => {
    const r = checkWindowGrid(hann);
    expect(r.ok, r.message).toBe(true);
    expect(r.checked).toBeGreaterThan(10000);
    const none = checkWindowGrid(handHann('acme/plain'));
    expect(none.ok).toBe(true);
    expect(none.checked).toBe(0);
  });

  it('fails when the cosine series is not the shape (a coefficient off by 1e-12)', () => {
    const off = defineDilationWindow({ id: 'acme/off-series', ...hannSpec, cosineSeries: () => [0.5, 0.5 + 1e-12] });
    expectFails(checkWindowGrid(off), /w at x = .*evaluateGrid .*evaluate .*difference/);
  });

  it('fails when evaluateGrid writes outside [start, end) or uses another support', () => {
    const overrun: WindowPlugin = {
      ...handHann('acme/grid-overrun'),
      evaluateGrid(x0, step, start, end, theta, _p, out) {
        const x = new Float64Array(end + 1);
        for (let k = start; k <= end; k++) x[k] = x0 + k * step;
        hann.evaluate(x, start, Math.min(end + 1, out.w.length), theta, {}, out);
      },
    };
    expectFails(checkWindowGrid(overrun), /outside \[\d+, \d+\) was overwritten/);
    const wider: WindowPlugin = {
      ...handHann('acme/grid-wider'),
      evaluateGrid(_x0, _step, start, end, _theta, _p, out) {
        for (let k = start; k < end; k++) {
          out.w[k] = 1; // the box, also outside the Hann support
          if (out.dTheta) out.dTheta[k] = 0;
          if (out.dX) out.dX[k] = 0;
        }
      },
    };
    expectFails(checkWindowGrid(wider), /w at x = .*evaluateGrid 1\.0+, evaluate 0 /);
  });
});
