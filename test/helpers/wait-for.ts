// The two ways a test waits: for output a child process prints (an event), and, only where no event exists
// (a row in another process's database, an answer another process gives once it catches up), by asking again.
import type { Readable } from 'node:stream';

export interface WaitOptions {
  /** What is awaited, in words: the failure message names it. */
  what: string;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 50 ms). */
  intervalMs?: number;
}

/**
 * Re-checks `check` until it returns something other than null, undefined or false, and returns that.
 * For conditions in another process or in PostgreSQL that nothing announces; everything else awaits its event.
 * A check that throws fails the wait at once: expected errors are for the check to turn into `null`.
 * @example const row = await waitFor(async () => (await count()) >= 2000, { what: '2,000 stored papers' });
 */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  o: WaitOptions,
): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${o.what}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 50));
  }
}

/** Everything some streams (a child's stdout and stderr) printed so far, and a way to await a pattern in it. */
export interface OutputWatch {
  text(): string;
  /** Resolves with the output once `test` holds for it; fails on timeout or when every stream has ended. */
  until(test: RegExp | ((text: string) => boolean), o: Omit<WaitOptions, 'intervalMs'>): Promise<string>;
}

/**
 * Collects the output of `streams` and checks waiters on each chunk: no polling, the data event is the signal.
 * @example const out = watchOutput(child.stdout, child.stderr); await out.until(/listening on/, { what: 'listening' });
 */
export function watchOutput(...streams: Readable[]): OutputWatch {
  let text = '';
  let open = streams.length;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  for (const s of streams) {
    s.on('data', (d: Buffer | string) => {
      text += d.toString();
      wake();
    });
    s.once('close', () => {
      open -= 1;
      wake();
    });
  }
  return {
    text: () => text,
    until(test, o) {
      const holds = typeof test === 'function' ? test : (t: string) => test.test(t);
      const timeoutMs = o.timeoutMs ?? 30_000;
      return new Promise<string>((resolve, reject) => {
        const finish = (err: Error | null): void => {
          waiters.delete(check);
          clearTimeout(timer);
          if (err === null) resolve(text);
          else reject(err);
        };
        const fail = (why: string): Error =>
          new Error(`${why} waiting for ${o.what}; the output so far ends with:\n${text.slice(-2000)}`);
        const check = (): void => {
          if (holds(text)) finish(null);
          else if (open === 0) finish(fail('output ended'));
        };
        const timer = setTimeout(() => finish(fail(`timed out after ${timeoutMs} ms`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
