// Runs `paperboy` against a temp database: in this process (most cases), or the real binary in a child process
// where the process itself is under test (signals, pipes, exit on kill, several nodes).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { runInProcess } from '../../src/main.ts';

export const BIN = resolve(import.meta.dirname, '../../bin/paperboy.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `paperboy ...args` in this process, with the environment a spawned one would see
 * (this process's, LOG_LEVEL=info, then `env`), capturing its output; resolves to what it printed and its code.
 */
export async function runPaperboyIn(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runInProcess(args, {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
  });
  return { code, stdout, stderr };
}

/** Runs the real binary `paperboy ...args` in a child process with extra environment variables; resolves when it exits. */
export function runPaperboy(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The last stdout line parsed as JSON (the `--json` summary). */
export function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}
