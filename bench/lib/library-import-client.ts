// A bench client in its own process (bench/library-import.bench.ts forks two): it polls /health or uploads one
// library file, so neither the poller's timers nor the upload's work stall the other, and only the server's
// own pauses show in the /health figures. Times are wall-clock milliseconds, comparable between processes.
import { readFileSync } from 'node:fs';

export type ClientJob =
  | { role: 'poll'; base: string; everyMs: number }
  | { role: 'upload'; base: string; token: string; bibPath: string };

/** One /health answer: when the request was sent and how long the answer took. */
export interface HealthSample {
  at: number;
  ms: number;
}

export type ClientReply =
  | { type: 'ready'; at: number }
  | { type: 'samples'; samples: HealthSample[] }
  | { type: 'uploaded'; start: number; end: number; status: number; report: Record<string, unknown> }
  | { type: 'failed'; message: string };

/** Answers polled before the poller reports itself ready. */
const WARM_UP = 20;

const wallNow = (): number => performance.timeOrigin + performance.now();

function reply(m: ClientReply): void {
  process.send?.(m);
}

async function poll(job: Extract<ClientJob, { role: 'poll' }>): Promise<void> {
  let stop = false;
  process.on('message', (m) => (m === 'stop' ? (stop = true) : undefined));
  const samples: HealthSample[] = [];
  while (!stop) {
    const at = wallNow();
    const res = await fetch(`${job.base}/health`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`/health answered ${res.status}`);
    samples.push({ at, ms: wallNow() - at });
    // The first answers include the connection's set-up; the baseline starts after them.
    if (samples.length === WARM_UP) reply({ type: 'ready', at: wallNow() });
    await new Promise((r) => setTimeout(r, job.everyMs));
  }
  reply({ type: 'samples', samples });
}

async function upload(job: Extract<ClientJob, { role: 'upload' }>): Promise<void> {
  const body = readFileSync(job.bibPath);
  const start = wallNow();
  const res = await fetch(`${job.base}/api/library/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/x-bibtex' },
    body,
  });
  const report = (await res.json()) as Record<string, unknown>;
  reply({ type: 'uploaded', start, end: wallNow(), status: res.status, report });
}

process.once('message', (job: ClientJob) => {
  (job.role === 'poll' ? poll(job) : upload(job)).then(
    () => process.disconnect(),
    (err: unknown) => {
      reply({ type: 'failed', message: String(err) });
      process.disconnect();
    },
  );
});
