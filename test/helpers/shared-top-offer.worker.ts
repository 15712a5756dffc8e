// Worker for test/search/shared-top.test.ts: for each round, offers its scores to that round's SharedTop slot
// while the other thread offers its own, reading the floor after each offer; posts, by round, the floors it read and
// which of its offers counted (an offer meeting the other thread's write is dropped).
import { parentPort, workerData } from 'node:worker_threads';
import { SharedTop } from '../../src/index/lexical/shared-top.ts';

const { buffer, rounds, gate } = workerData as {
  buffer: SharedArrayBuffer;
  /** Round r's scores, offered to slot r. */
  rounds: number[][];
  /** One counter per round: both threads start a round together. */
  gate: SharedArrayBuffer;
};
const waiting = new Int32Array(gate);
const floors = rounds.map((scores, r) => {
  const top = new SharedTop(buffer, r);
  Atomics.add(waiting, r, 1);
  while (Atomics.load(waiting, r) < 2) {
    // The other thread has not reached this round yet.
  }
  const seen: number[] = [];
  const counted: boolean[] = [];
  for (const s of scores) {
    seen.push(top.offer(s));
    counted.push(top.lastOfferCounted);
    seen.push(top.floor());
  }
  return { seen, counted };
});
parentPort?.postMessage(floors);
