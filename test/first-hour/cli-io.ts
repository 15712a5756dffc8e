// Runs a paperboy command in this process (no child process) against a given environment; captures its output.
import { runInProcess } from '../../src/main.ts';
import type { ServiceDeps } from '../../src/services/services.ts';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `paperboy ...argv` with `env` (merged over a quiet, harvest-free default) and optional service fakes. */
export async function paperboyIn(
  argv: string[],
  env: Record<string, string>,
  deps: ServiceDeps = {},
  signal: AbortSignal = new AbortController().signal,
  onStderr: (text: string) => void = () => undefined,
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), onStderr(stderr), true), isTTY: false },
  };
  const fullEnv = { LOG_LEVEL: 'info', PAPERBOY_HARVEST: 'false', ARXIV_DELAY_MS: '0', ...env };
  const code = await runInProcess(argv, { env: fullEnv, ...io, signal, deps });
  return { code, stdout, stderr };
}
