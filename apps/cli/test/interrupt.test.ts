// Ctrl-C, as a user presses it: the built CLI is spawned on real work, SIGINT (or SIGTERM) is sent once the command
// has started computing, and the process must exit with 130 (143) within a second and leave no output behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '@dstft/wav';
import { CLI, testSignal } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-interrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file and folder under `dir`, relative to it. */
function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${e}` : e;
    out.push(rel);
    if (statSync(join(dir, e)).isDirectory()) out.push(...listTree(join(dir, e), rel));
  }
  return out.sort();
}

interface Interrupted {
  code: number | null;
  /** From the signal to the process's exit. */
  reactionMs: number;
  stdout: string;
  stderr: string;
  /** Whether the command was still running when the signal was sent (else the test proves nothing). */
  wasRunning: boolean;
}

/**
 * Spawns `dstft args` in `cwd`, waits until stdout or stderr has matched `started` (null: from the start) and then `afterMs` more, sends
 * `signal`, and reports the exit.
 */
function interrupt(args: string[], cwd: string, { started, afterMs = 300, signal = 'SIGINT' as NodeJS.Signals }: { started: RegExp | null; afterMs?: number; signal?: NodeJS.Signals }): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    let exited = false;
    let wasRunning = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const check = () => {
      if (sentAt || (started && !started.test(stdout + stderr))) return;
      sentAt = -1;
      setTimeout(() => {
        wasRunning = !exited;
        sentAt = performance.now();
        child.kill(signal);
      }, afterMs);
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      check();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      check();
    });
    child.on('error', reject);
    child.on('exit', () => (exited = true));
    if (started === null) check();
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, reactionMs: sentAt > 0 ? performance.now() - sentAt : Number.NaN, stdout, stderr, wasRunning });
    });
  });
}

function workdir(name: string, seconds: number, sampleRate = 16000): string {
  const dir = mkdtempSync(join(root, `${name}-`));
  writeFileSync(join(dir, 'long.wav'), encodeWav(testSignal(Math.round(seconds * sampleRate), sampleRate), sampleRate));
  return dir;
}

function expectCleanInterrupt(r: Interrupted, cwd: string, exitCode = 130): void {
  expect(r.wasRunning, `the command finished before the signal: ${r.stdout}`).toBe(true);
  expect(r.code, r.stderr).toBe(exitCode);
  expect(r.stderr).toMatch(/dstft: interrupted by SIG(INT|TERM); partial outputs removed/);
  expect(r.reactionMs).toBeLessThan(1000);
  // nothing but the input: no output folder, no file, no temporary file
  expect(listTree(cwd)).toEqual(['long.wav']);
}

describe('Ctrl-C ends every long command within a second and removes its outputs', () => {
  it('optimize --mode time on a long recording (the constant-θ stage is running)', async () => {
    const cwd = workdir('optimize', 120);
    const r = await interrupt(['optimize', 'long.wav', '--mode', 'time'], cwd, { started: /samples at 16000 Hz/ });
    expectCleanInterrupt(r, cwd);
  });

  it('optimize --mode time-frequency, interrupted during the iterations (SIGTERM → 143)', async () => {
    const cwd = workdir('optimize-tf', 20);
    const r = await interrupt(['optimize', 'long.wav', '--mode', 'time-frequency', '--iterations', '400'], cwd, { started: /constant θ:/, afterMs: 200, signal: 'SIGTERM' });
    expectCleanInterrupt(r, cwd, 143);
  });

  it('grid', async () => {
    const cwd = workdir('grid', 30);
    const r = await interrupt(['grid', 'long.wav', '--from', '100', '--to', '1000', '--step', '1'], cwd, { started: /dstft grid:/ });
    expectCleanInterrupt(r, cwd);
  });

  it('track', async () => {
    const cwd = workdir('track', 120);
    const r = await interrupt(['track', 'long.wav', '--band', '200,2000'], cwd, { started: /dstft track:/ });
    expectCleanInterrupt(r, cwd);
  });

  it('reproduce vi-a (full size), with --json: stdout is one JSON error', async () => {
    const cwd = workdir('reproduce', 0.01);
    const r = await interrupt(['reproduce', 'vi-a', '--json'], cwd, { started: null, afterMs: 2000 });
    expectCleanInterrupt(r, cwd);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'ERR_INTERRUPTED', exitCode: 130 } });
  });

  it('spectrogram of a long recording, interrupted while its chunks are computed', async () => {
    const cwd = workdir('spectrogram', 600, 8000);
    const r = await interrupt(['spectrogram', 'long.wav', '-o', 'long.png'], cwd, { started: /\S/, afterMs: 600 });
    // the figure may already be written if the machine is fast: then the run ended with 0 and wrote long.png
    if (r.code === 0) {
      expect(listTree(cwd)).toEqual(['long.png', 'long.wav']);
      return;
    }
    expectCleanInterrupt(r, cwd);
  });
});

describe('a unit of work that never checks the signal (a slow third-party loss) is stopped all the same', () => {
  it('the worker is terminated after the grace period; exit 130, nothing left', async () => {
    const cwd = workdir('slow-plugin', 1, 8000);
    // a loss plugin that takes 5 s per evaluation: the first evaluation is running when Ctrl-C comes
    writeFileSync(
      join(cwd, 'slow-loss.mjs'),
      `export default {
  kind: 'loss', id: 'acme/slow', apiVersion: 1,
  meta: { name: 'slow-loss', version: '0.0.1', description: 'spins 5 s per call' },
  defaults: {},
  evaluate(spec, grad) {
    const until = Date.now() + 5000;
    while (Date.now() < until);
    let s = 0;
    for (let k = 0; k < spec.data.length; k++) { s += spec.data[k]; if (grad) grad[k] = 1; }
    return s;
  },
};
`,
    );
    const r = await interrupt(['optimize', 'long.wav', '--plugin', './slow-loss.mjs', '--loss', 'acme/slow', '--out', 'o'], cwd, { started: /dstft optimize:/, afterMs: 500 });
    expect(r.wasRunning).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/dstft: interrupted by SIGINT; partial outputs removed/);
    expect(r.reactionMs).toBeLessThan(1000);
    expect(listTree(cwd)).toEqual(['long.wav', 'slow-loss.mjs']);
  });
});
