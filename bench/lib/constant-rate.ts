// An open-loop load generator: requests are due at a fixed rate, spread over a set of keep-alive
// connections, and each one's latency counts from when it was due, not from when a connection was free
// to send it, so a server that falls behind is charged for the queue it causes (no coordinated
// omission). autocannon's own rate limit sends each second's requests in a burst, and node:http's agent
// reuses the most recently freed socket, so neither gives a steady load; this speaks HTTP/1.1 on raw
// sockets, which also keeps the generator's own CPU use low on a 2-core machine.
import { connect, type Socket } from 'node:net';

export interface RateOptions {
  host: string;
  port: number;
  connections: number;
  /** Requests per second, due at even intervals. */
  rate: number;
  seconds: number;
  /** The path of the i-th request. */
  path: (i: number) => string;
}

export interface RateResult {
  /** Requests answered per second over the run (the offered rate when the server keeps up). */
  achieved: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors and malformed answers. */
  errors: number;
  non2xx: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection reading one HTTP/1.1 answer at a time (Content-Length or chunked). */
class Conn {
  private buf: Buffer = Buffer.alloc(0);
  private done: ((status: number) => void) | null = null;
  private fail: ((err: Error) => void) | null = null;
  private closed = false;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.parse();
    });
    socket.on('error', (err) => this.fail?.(err));
    socket.on('close', () => {
      this.closed = true;
      this.fail?.(new Error('connection closed'));
    });
  }

  static open(host: string, port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port, noDelay: true }, () => {
        s.off('error', reject);
        resolve(new Conn(s));
      });
      s.once('error', reject);
    });
  }

  get(host: string, path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // A connection the server closed while idle fails at once (a write to it would never be answered).
      if (this.closed) return reject(new Error('connection closed'));
      this.done = resolve;
      this.fail = reject;
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
    });
  }

  close(): void {
    this.fail = null;
    this.socket.destroy();
  }

  private parse(): void {
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0 || this.done === null) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? Number.NaN);
    if (Number.isNaN(status)) return this.fail?.(new Error(`not an HTTP answer: ${head.slice(0, 80)}`));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let total: number;
    if (length !== null) total = end + 4 + Number(length[1]);
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      total = chunkedEnd(this.buf, end + 4);
      if (total === -2) return this.fail?.(new Error('a malformed chunk size'));
      if (total < 0) return;
    } else {
      this.fail?.(
        new Error(`an answer with neither Content-Length nor chunked encoding: ${head.slice(0, 80)}`),
      );
      return;
    }
    if (this.buf.length < total) return;
    this.buf = this.buf.subarray(total);
    const done = this.done;
    this.done = null;
    this.fail = null;
    done(status);
  }
}

/** Where a chunked body that starts at `from` ends: -1 while it is incomplete, -2 when malformed. */
function chunkedEnd(buf: Buffer, from: number): number {
  let at = from;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return -1;
    const size = Number.parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return -2;
    at = lineEnd + 2 + size + 2;
    if (size === 0) return buf.length >= at ? at : -1;
    if (at > buf.length) return -1;
  }
}

/**
 * Opens the connections, runs the load for `seconds` and closes them; the caller warms up with a
 * first, shorter run. Latencies are in milliseconds.
 * @example const r = await constantRate({ host: '127.0.0.1', port, connections: 50, rate: 300, seconds: 10, path: (i) => `/api/search?q=x${i}` });
 */
export async function constantRate(opts: RateOptions): Promise<RateResult> {
  for (const [name, v] of [
    ['rate', opts.rate],
    ['seconds', opts.seconds],
    ['connections', opts.connections],
  ] as const)
    if (!Number.isFinite(v) || v <= 0)
      throw new Error(`constantRate: ${name} must be a positive number, not ${v}`);
  const conns = new Set<Conn>();
  const open = async (): Promise<Conn> => {
    const c = await Conn.open(opts.host, opts.port);
    conns.add(c);
    return c;
  };
  const free: Conn[] = await Promise.all(Array.from({ length: opts.connections }, open));
  const waiting: { due: number; i: number }[] = []; // requests that found no free connection yet
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let settled = 0;
  const total = Math.round(opts.rate * opts.seconds);
  const start = performance.now();
  const interval = 1000 / opts.rate;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  if (total === 0) finish();

  const settle = (): void => {
    if (++settled === total) finish();
  };
  const release = (conn: Conn): void => {
    const next = waiting.shift();
    if (next === undefined) free.push(conn);
    else send(conn, next.due, next.i);
  };
  const send = (conn: Conn, due: number, i: number): void => {
    conn.get(opts.host, opts.path(i)).then(
      (status) => {
        latencies.push(performance.now() - due);
        if (status < 200 || status > 299) non2xx++;
        settle();
        release(conn);
      },
      () => {
        errors++;
        settle();
        conns.delete(conn);
        conn.close();
        // A broken connection is replaced, so the run keeps its connection count.
        open().then(release, () => undefined);
      },
    );
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        const conn = free.shift(); // the longest-idle connection, so the load spreads evenly
        if (conn === undefined) waiting.push({ due, i: sent });
        else send(conn, due, sent);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await finished;
  const seconds = (performance.now() - start) / 1000;
  for (const c of conns) c.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    achieved: latencies.length / seconds,
    requests: latencies.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies.at(-1) ?? Number.NaN,
    errors,
    non2xx,
  };
}
