// A local HTTP server speaking the OpenAI chat completions protocol (POST /v1/chat/completions), whose
// answer for a paper is chosen by a word in its title: good text, 429 with Retry-After, 500s, a slow
// stream, a hang, HTML, 50 KB of text, a body that is not JSON, a wrong key.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChat {
  /** Base URL to configure, ending in /v1. */
  url: string;
  /** Every request body received. */
  requests: { model: string; title: string; auth: string | null }[];
  close(): Promise<void>;
}

function completion(model: string, content: string, finish = 'stop'): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1764806400,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 200, completion_tokens: 30, total_tokens: 230 },
  });
}

/**
 * Starts the fake. Title words: ok (default), flaky429, flaky500, down500, slowstream, hang, html, huge,
 * garbage, cutoff, empty; a request with key "wrong" gets 401.
 * @example const chat = await startFakeChat(); // SUMMARIZER_URL=chat.url
 */
export async function startFakeChat(): Promise<FakeChat> {
  const requests: FakeChat['requests'] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error' } }));
        return;
      }
      const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[] };
      const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
      const title = /^Title: (.*)$/m.exec(user)?.[1] ?? '';
      requests.push({ model: body.model, title, auth: req.headers.authorization ?? null });
      const n = (seen.get(title) ?? 0) + 1;
      seen.set(title, n);
      const json = (status: number, text: string, extra: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...extra });
        res.end(text);
      };
      const error = (status: number, message: string, extra: Record<string, string> = {}): void =>
        json(status, JSON.stringify({ error: { message, type: 'server_error', code: null } }), extra);
      if (req.headers.authorization === 'Bearer wrong')
        return error(401, 'Incorrect API key provided: wrong.');
      const word = (w: string): boolean => title.split(/\s+/).includes(w);
      if (word('flaky429') && n === 1) return error(429, 'Rate limit reached', { 'retry-after': '3' });
      if (word('flaky500') && n <= 2)
        return error(500, 'The server had an error while processing your request.');
      if (word('down500')) return error(503, 'The engine is currently overloaded.');
      if (word('hang')) return; // never answers
      if (word('slowstream')) {
        // Headers at once, then the body a few bytes at a time, far slower than any deadline.
        res.writeHead(200, { 'content-type': 'application/json' });
        const text = completion(body.model, 'Slowly written.');
        let i = 0;
        const tick = setInterval(() => {
          if (res.destroyed || i >= text.length) {
            clearInterval(tick);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(text.slice(i, i + 2));
          i += 2;
        }, 200);
        res.on('close', () => clearInterval(tick));
        return;
      }
      if (word('html'))
        return json(200, completion(body.model, '<p>Great paper!</p><script>alert(1)</script>'));
      if (word('huge')) return json(200, completion(body.model, 'word '.repeat(10_240)));
      if (word('garbage')) return json(200, '{"choices": [ {"mess');
      if (word('cutoff')) return json(200, completion(body.model, 'This summary stops in the mid', 'length'));
      if (word('empty')) return json(200, completion(body.model, '   '));
      if (word('lessthan'))
        return json(200, completion(body.model, 'The bound holds when n < m & k > 0, in "all" cases.'));
      return json(200, completion(body.model, `TL;DR: A model summary of ${title}.`));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
