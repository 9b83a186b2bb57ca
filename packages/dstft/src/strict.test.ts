import { describe, expect, it } from 'vitest';
import {
  DstftError,
  ParameterError,
  SignalError,
  createDstft,
  createObjective,
  createOptimization,
  defineDilationWindow,
  createDefaultRegistry,
  evaluateTask,
  gridSearch,
  optimize,
  optimizeConstantTheta,
  trainTask,
} from './index.js';

const L = 256;
const x = Float64Array.from({ length: L }, (_, i) => Math.sin(0.3 * i) + 0.5 * Math.sin(0.05 * i * i * 0.01));
const small = () => createDstft({ nFft: 32, signalLength: L });

describe('windowParams are checked against the window plugin declaration', () => {
  it('a misspelt Kaiser beta is an error naming the key, the value, the window and the fix', () => {
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'kaiser', windowParams: { betta: 8 } })).toThrow(
      /windowParams\.betta = 8: unknown parameter of the 'kaiser' window\. Fix: did you mean 'beta'\?/,
    );
  });

  it('wrong types and out-of-range values name the range', () => {
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'kaiser', windowParams: { beta: '8' } })).toThrow(/windowParams\.beta = "8": expected a number in \[0, 500\]/);
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'kaiser', windowParams: { beta: 501 } })).toThrow(/windowParams\.beta = 501: out of range: must lie in \[0, 500\]/);
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'gaussian', windowParams: { sigma: 0 } })).toThrow(/windowParams\.sigma = 0: out of range: must lie in \(0, ∞\)/);
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'gaussian', windowParams: { sigma: NaN } })).toThrow(ParameterError);
    expect(() => createDstft({ nFft: 32, signalLength: L, windowParams: { sigma: 0.1 } })).toThrow(/unknown parameter of the 'hann' window\. Fix: remove it; the 'hann' window takes no parameters/);
    expect(() => createDstft({ nFft: 32, signalLength: L, windowParams: [1] as never })).toThrow(ParameterError);
  });

  it('valid parameters and undefined (the default) are accepted', () => {
    expect(createDstft({ nFft: 32, signalLength: L, window: 'kaiser', windowParams: { beta: 0 } }).plan.windowParams).toEqual({ beta: 0 });
    expect(createDstft({ nFft: 32, signalLength: L, window: 'kaiser', windowParams: { beta: undefined } }).plan.windowParams).toEqual({ beta: 8 });
  });

  it('third-party windows without a declaration keep working; with one they are checked', () => {
    const legacy = defineDilationWindow({ id: 'acme/legacy', shape: () => 1, dShape: () => 0, continuousInTheta: false, defaults: { a: 1 } });
    const registry = createDefaultRegistry().use(legacy);
    expect(createDstft({ nFft: 32, signalLength: L, window: 'acme/legacy', windowParams: { anything: 2 } }, { registry }).plan.windowParams).toEqual({ a: 1, anything: 2 });
    const tukey = defineDilationWindow({
      id: 'acme/tukey',
      shape: () => 1,
      dShape: () => 0,
      continuousInTheta: false,
      defaults: { alpha: 0.5 },
      parameters: [{ name: 'alpha', type: 'number', min: 0, max: 1, default: 0.5, description: 'taper fraction' }],
    });
    const r2 = createDefaultRegistry().use(tukey);
    expect(() => createDstft({ nFft: 32, signalLength: L, window: 'acme/tukey', windowParams: { alpah: 0.2 } }, { registry: r2 })).toThrow(/did you mean 'alpha'\?/);
  });
});

describe('strict options of the long-running functions', () => {
  it('optimize: misspelt maxIterations and optimizer are errors with a hint', () => {
    expect(() => optimize(small(), x, { maxIteration: 3 } as never)).toThrow(/options\.maxIteration = 3: unknown option of optimize\(\)\. Fix: did you mean 'maxIterations'\?/);
    expect(() => optimize(small(), x, { optimiser: 'adam' } as never)).toThrow(/options\.optimiser.*did you mean 'optimizer'\?/);
    expect(() => createOptimization(small(), x, { lr: { thta: 1 } } as never)).toThrow(/options\.lr\.thta.*did you mean 'theta'\?/);
    expect(() => createOptimization(small(), x, { tolerance: { gradient: 1 } } as never)).toThrow(/options\.tolerance\.gradient.*did you mean 'grad'\?/);
    expect(() => createOptimization(small(), x, { optimizer: { id: 'adam', option: { lr: 1 } } } as never)).toThrow(/options\.optimizer\.option.*did you mean 'options'\?/);
    expect(() => createOptimization(small(), x, { regularizers: [{ id: 'tf-smoothness', wieght: 1 }] } as never)).toThrow(/options\.regularizers\[0\]\.wieght.*did you mean 'weight'\?/);
    expect(() => createOptimization(small(), x, { onProgress: 3 } as never)).toThrow(/options\.onProgress = 3: expected a function/);
    expect(() => createOptimization(small(), x, { signal: {} } as never)).toThrow(/options\.signal.*AbortSignal/);
    expect(() => createOptimization(small(), x, { learn: { theta: 'yes' } } as never)).toThrow(/options\.learn\.theta = "yes"/);
    expect(() => createOptimization(small(), x, { maxIterations: -1 })).toThrow(/maxIterations = -1/);
  });

  it('plugin options: unknown keys of optimizers and losses are errors with a hint', () => {
    expect(() => createOptimization(small(), x, { optimizer: { id: 'adam', options: { betas1: 0.9 } } })).toThrow(/adam\.betas1.*did you mean 'beta1'\?/);
    expect(() => optimize(small(), x, { loss: { id: 'renyi', options: { alpah: 2 } }, maxIterations: 1 })).toThrow(/options\.alpah.*did you mean 'alpha'\?/);
  });

  it('a signal is accepted, and an aborted one stops the run', () => {
    expect(optimize(small(), x, { maxIterations: 5, signal: { aborted: true } }).stopReason).toBe('aborted');
  });

  it('gridSearch, optimizeConstantTheta, createObjective, trainTask, evaluateTask', () => {
    expect(() => gridSearch(small(), x, { thetas: [8, 16], onProgres: () => {} } as never)).toThrow(/options\.onProgres.*did you mean 'onProgress'\?/);
    expect(() => gridSearch(small(), x, { theta: [8, 16] } as never)).toThrow(/options\.theta.*did you mean 'thetas'\?/);
    expect(() => optimizeConstantTheta(small(), x, { scans: 8 } as never)).toThrow(/options\.scans.*did you mean 'scan'\?/);
    expect(() => createObjective(small(), x, { regularisers: [] } as never)).toThrow(/options\.regularisers.*did you mean 'regularizers'\?/);
    expect(() => trainTask(small(), { task: 'frequency-tracking', train: [], epoch: 2 } as never)).toThrow(/options\.epoch.*did you mean 'epochs'\?/);
    expect(() => trainTask(small(), { train: [] } as never)).toThrow(/options\.task = undefined: is required/);
    expect(() => evaluateTask(small(), 'frequency-tracking', [], { batchsize: 2 } as never)).toThrow(/options\.batchsize.*did you mean 'batchSize'\?/);
    const r = gridSearch(small(), x, { thetas: [8, 16, 32] });
    expect(r.losses.length).toBe(3);
  });
});

describe('degenerate inputs and sizes are typed errors, before any work', () => {
  it('a signal shorter than one frame, a hop larger than the signal', () => {
    expect(() => createDstft({ nFft: 16, signalLength: 2 })).toThrow(SignalError);
    expect(() => createDstft({ nFft: 16, signalLength: 2 })).toThrow(/signalLength = 2: the signal is shorter than one frame \(nFft = 16 samples\)/);
    expect(() => createDstft({ nFft: 16, signalLength: 20, hop: 50 })).toThrow(/hop = 50: is larger than the signal \(signalLength = 20\)/);
    expect(() => createDstft({ nFft: 16, signalLength: 1 })).toThrow(SignalError);
  });

  it('NaN / Infinity samples and empty signals', () => {
    const d = createDstft({ nFft: 16, signalLength: 32 });
    const bad = new Float64Array(32);
    bad[5] = NaN;
    expect(() => d.forward(bad)).toThrow(/x\[0\]\[5\] = NaN/);
    bad[5] = Infinity;
    expect(() => d.forward(bad)).toThrow(SignalError);
    expect(() => d.forward(new Float64Array(0))).toThrow(/the signal is empty/);
    expect(() => optimize(d, bad, { maxIterations: 1 })).toThrow(DstftError);
  });

  it('nFft above the kernel limit and absurd spectrograms are refused up front, naming the limit', () => {
    expect(() => createDstft({ nFft: 2 ** 30, signalLength: 2 ** 31 })).toThrow(/nFft = 1073741824: is above the kernel's limit of 67108864 \(2\^26\)/);
    expect(() => createDstft({ nFft: 4096, signalLength: 2 ** 30, hop: 1 })).toThrow(/frames = .*spectrogram entries per signal, above the limit of 134217728/);
    expect(() => createDstft({ nFft: 16, signalLength: 10 ** 6, hop: 1e-6 })).toThrow(ParameterError);
  });
});
