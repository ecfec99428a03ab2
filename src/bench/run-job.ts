import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchJob, BenchResult } from './bench-job.js';

const childEntry = fileURLToPath(new URL('./bench-child.mjs', import.meta.url));

export type JobOutcome =
  | { ok: true; result: BenchResult; seconds: number }
  | { ok: false; job: BenchJob; reason: string; seconds: number };

/** Runs one job in a fresh Node process; kills it after `capSeconds`. */
export function runJob(job: BenchJob, capSeconds: number): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [childEntry, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, capSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (timedOut) return resolve({ ok: false, job, reason: `stopped after ${capSeconds} s`, seconds });
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line) {
        try {
          return resolve({ ok: true, result: JSON.parse(line) as BenchResult, seconds });
        } catch {
          // fall through to the failure below
        }
      }
      resolve({ ok: false, job, reason: `failed (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`, seconds });
    });
  });
}
