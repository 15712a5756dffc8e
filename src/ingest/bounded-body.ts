// Reads a byte stream whole unless it passes a size, stopping as soon as it does (the rest is never read).

/**
 * The stream's bytes, or null once more than `maxBytes` arrive (the stream is cancelled then).
 * @example const bytes = await readAtMost(res.body, 1 << 20); if (bytes === null) tooLarge();
 */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}
