// A real HTTP server on loopback that answers like the arXiv export API from recorded responses.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixturePath } from './fixtures.ts';

export type StubHandler = (
  url: URL,
  req: IncomingMessage,
) => { status: number; body: string; headers?: Record<string, string> };

export interface ArxivStub {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Starts a stub on 127.0.0.1 with a free port; every request URL is recorded. */
export async function startArxivStub(handler: StubHandler): Promise<ArxivStub> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const r = handler(url, req);
    res.writeHead(r.status, { 'Content-Type': 'application/atom+xml; charset=utf-8', ...(r.headers ?? {}) });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/query`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A recorded export-API page, with its totalResults optionally rewritten so paging ends. */
export function recordedPage(file: string, totalResults?: number): string {
  const xml = readFileSync(fixturePath('arxiv', 'atom-api', file), 'utf8');
  return totalResults === undefined
    ? xml
    : xml.replace(
        /<opensearch:totalResults>\d+<\/opensearch:totalResults>/,
        `<opensearch:totalResults>${totalResults}</opensearch:totalResults>`,
      );
}

export const PAGE_0_100 = 'q_testing_s0_m100_cfe7536492ca.xml';
export const PAGE_10_10 = 'q_testing_s10_m10_34e56e15aaac.xml';
