import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node dist/cli.js ...args` in `cwd` (stdout and stderr are pipes: no TTY, so no progress bar). */
export function dstft(args: string[], cwd: string, { timeoutMs = 60_000, env = {} }: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** Distinct RGB colours of a PNG: a blank or flat figure has a handful, a spectrogram hundreds. */
export function colours(png: PNG): number {
  const seen = new Set<number>();
  for (let k = 0; k < png.data.length; k += 4) seen.add((png.data[k]! << 16) | (png.data[k + 1]! << 8) | png.data[k + 2]!);
  return seen.size;
}

/** A chirp with a tone (test input), deterministic. */
export function testSignal(n: number, fs: number): Float64Array {
  const x = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const t = p / fs;
    x[p] = 0.5 * Math.sin(2 * Math.PI * (300 * t + 400 * t * t)) + 0.3 * Math.sin(2 * Math.PI * 1200 * t);
  }
  return x;
}
