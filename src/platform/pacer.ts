// Lets long CPU work on the server's event loop step aside regularly, so other requests keep being answered.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work runs at most this long before other requests get a turn. */
export const DEFAULT_SLICE_MS = 8;

/**
 * A function to await between small pieces of work: it returns at once until `sliceMs` of work has
 * passed, then waits one turn of the event loop (where pending I/O and timers run) and starts a new slice.
 * @example const pace = createPacer(); for (const item of items) { work(item); await pace(); }
 */
export function createPacer(
  sliceMs = DEFAULT_SLICE_MS,
  now: () => number = performance.now.bind(performance),
): () => Promise<void> {
  let sliceStart = now();
  return async () => {
    if (now() - sliceStart < sliceMs) return;
    await nextTurn();
    sliceStart = now();
  };
}
