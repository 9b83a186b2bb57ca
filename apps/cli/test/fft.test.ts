// --fft: the FFT backend by id, on a real recording.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dstft } from './helpers.js';

const speech = fileURLToPath(new URL('./fixtures/speech/7_jackson_12.16k.wav', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'dstft-fft-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('--fft', () => {
  it('pffft: optimize runs on the float32 backend, records it, and finds the float64 θ to a few samples', async () => {
    const exact = await dstft(['optimize', speech, '--n-fft', '512', '--json', '-o', 'exact'], cwd);
    const fast = await dstft(['optimize', speech, '--n-fft', '512', '--fft', 'pffft', '--json', '-o', 'fast'], cwd);
    expect(exact.code, exact.stderr).toBe(0);
    expect(fast.code, fast.stderr).toBe(0);
    const a = JSON.parse(exact.stdout);
    const b = JSON.parse(fast.stdout);
    const saved = JSON.parse(readFileSync(join(cwd, 'fast', 'result.json'), 'utf8'));
    expect(saved.transform.fft).toBe('pffft');
    expect(Math.abs(b.theta - a.theta)).toBeLessThan(2);
    expect(Math.abs(b.loss.optimized - a.loss.optimized) / a.loss.optimized).toBeLessThan(1e-5);
  });

  it('an unknown backend is a usage error that names the flags to use', async () => {
    const r = await dstft(['spectrogram', speech, '--fft', 'acme/fast', '-o', 's.png'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fft = "acme\/fast": no FFT backend with this id .* Fix: use --fft fftjs \(exact, the default\) or --fft pffft/);
  });

  it('dstft plugins --kind fft lists both built-in backends', async () => {
    const r = await dstft(['plugins', '--kind', 'fft', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).plugins.fft.map((p: { id: string }) => p.id)).toEqual(['fftjs', 'pffft']);
  });
});
