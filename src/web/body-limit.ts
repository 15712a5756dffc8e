// Refuses request bodies over a size with 413 before any route reads them (declared length or streamed).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import { readAtMost } from '../ingest/bounded-body.ts';
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
    const buf = await readAtMost(body, max);
    if (buf === null) throw tooLarge();
    c.req.raw = new Request(c.req.raw, { body: buf });
    return next();
  };
}
