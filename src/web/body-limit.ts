// Refuses request bodies over a size with 413 before any route reads them (declared length or streamed).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { WebEnv } from './web-env.ts';

/**
 * Buffers at most `max` bytes of each request body; larger ones fail with PAYLOAD_TOO_LARGE and
 * `message` (default: the limit in KiB).
 */
export function limitBody(
  max: number,
  message = `Requests are limited to ${Math.round(max / 1024)} KiB.`,
): MiddlewareHandler<WebEnv> {
  const tooLarge = (): AppError => new AppError('PAYLOAD_TOO_LARGE', message);
  return async (c, next) => {
    const body = c.req.raw.body;
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || body === null) return next();
    if (Number(c.req.header('content-length') ?? 0) > max) throw tooLarge();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    const buf = new Uint8Array(size);
    let at = 0;
    for (const ch of chunks) {
      buf.set(ch, at);
      at += ch.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: buf });
    return next();
  };
}
