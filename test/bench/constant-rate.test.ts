// The open-loop load generator behind bench:web's steady row, against a real loopback HTTP server:
// it must read both framings node:http uses, count what failed, spread requests over every connection,
// and charge a server that falls behind for the whole queue.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { constantRate } from '../../bench/lib/constant-rate.ts';

let server: Server | null = null;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer({ keepAlive: true }, handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A run against the loopback server. */
function load(port: number, connections: number, rate: number, seconds: number, path = (_i: number) => '/') {
  return constantRate({ host: '127.0.0.1', port, connections, rate, seconds, path });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

describe('constantRate', () => {
  it('reads Content-Length and chunked answers, counts non-2xx, and uses every connection', async () => {
    const sockets = new Set<unknown>();
    const paths: string[] = [];
    const port = await listen((req, res) => {
      sockets.add(req.socket);
      paths.push(req.url ?? '');
      const n = paths.length;
      if (n % 3 === 0) {
        res.statusCode = 404;
        res.end('missing');
      } else if (n % 3 === 1) {
        res.setHeader('content-length', '5000');
        res.end('a'.repeat(5000));
      } else {
        // Several writes without a length: node:http sends them chunked.
        res.write('b'.repeat(3000));
        res.write('0\r\n\r\n'); // a body that looks like the end of a chunked stream
        res.end('c'.repeat(2000));
      }
    });
    const r = await load(port, 4, 200, 0.3, (i) => `/p${i}`);
    expect(r.requests).toBe(60);
    expect(r.errors).toBe(0);
    expect(r.non2xx).toBe(20);
    expect(sockets.size).toBe(4);
    expect(new Set(paths)).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `/p${i}`)));
    expect(r.achieved).toBeGreaterThan(100);
  });

  it('counts latency from when a request was due, so a slow server is charged for its queue', async () => {
    // One connection, 20 requests due 10 ms apart, each answered after 40 ms: the last waits ~600 ms.
    const port = await listen((_req, res) => {
      setTimeout(() => res.end('ok'), 40);
    });
    const r = await load(port, 1, 100, 0.2);
    expect(r.requests).toBe(20);
    expect(r.p50).toBeGreaterThan(150);
    expect(r.max).toBeGreaterThan(500);
    expect(r.achieved).toBeLessThan(40);
  });

  it('counts a dropped connection as an error and goes on with a new one', async () => {
    let n = 0;
    const port = await listen((req, res) => {
      if (++n === 3) req.socket.destroy();
      else res.end('ok');
    });
    const r = await load(port, 2, 100, 0.1);
    expect(r.errors).toBe(1);
    expect(r.requests).toBe(9);
  });

  it('counts a request on a connection the server closed while idle as an error, and finishes', async () => {
    const port = await listen((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('ok');
    });
    const r = await load(port, 2, 100, 0.1);
    expect(r.requests + r.errors).toBe(10);
    expect(r.requests).toBeGreaterThan(0);
  });
});
