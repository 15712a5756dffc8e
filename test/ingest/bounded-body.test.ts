// readAtMost: the one capped body reader behind fetched responses, LLM answers and request bodies.
import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../src/ingest/bounded-body.ts';

/** A stream of `chunks` that records how many were pulled and whether it was cancelled. */
function counted(chunks: string[]): {
  stream: ReadableStream<Uint8Array>;
  pulled(): number;
  cancelled(): boolean;
} {
  let i = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      const c = chunks[i++];
      if (c === undefined) ctrl.close();
      else ctrl.enqueue(new TextEncoder().encode(c));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => i, cancelled: () => cancelled };
}

describe('readAtMost', () => {
  it('joins the chunks of a body within the limit', async () => {
    const s = counted(['abc', 'def', 'g']);
    const bytes = await readAtMost(s.stream, 7);
    expect(new TextDecoder().decode(bytes!)).toBe('abcdefg');
  });

  it('stops at the first chunk past the limit and cancels the rest', async () => {
    const s = counted(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']);
    expect(await readAtMost(s.stream, 6)).toBeNull();
    expect(s.pulled()).toBeLessThanOrEqual(3);
    expect(s.cancelled()).toBe(true);
  });

  it('reads no body as empty', async () => {
    expect(await readAtMost(null, 10)).toHaveLength(0);
  });
});
