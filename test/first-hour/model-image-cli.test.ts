// `train` leaves the model's image beside the snapshots; a CLI search answers the same from it, from the store
// when it is missing, and from the store (rewriting it) when it is damaged, in the header or in a row block.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
let env: Record<string, string> = {};
let image = '';
const SEARCH = ['search', 'image segmentation networks', '-k', '5', '--json'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-model-image-'));
  env = { DATABASE_URL: join(dir, 'pb.db'), LOG_LEVEL: 'warn' };
  const store = await openStore(env.DATABASE_URL!);
  await store.papers.upsertMany(topicCorpus(15).papers);
  await store.close();
  const t = await paperboyIn(['train', '--epochs', '1'], env);
  expect(t.code, t.stderr).toBe(0);
  const images = readdirSync(`${env.DATABASE_URL}.index`).filter((n) => n.startsWith('model-'));
  expect(images).toHaveLength(1);
  image = join(`${env.DATABASE_URL}.index`, images[0]!);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function search(): Promise<{ out: unknown; stderr: string }> {
  const r = await paperboyIn(SEARCH, env);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { mode: string; notice: string | null };
  expect(out.mode).toBe('hybrid');
  expect(out.notice).toBeNull();
  return { out, stderr: r.stderr };
}

function flipByte(at: number): void {
  const bytes = readFileSync(image);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(image, bytes);
}

test('a search answers the same from the image, without it (rewriting it), and with it damaged (rebuilding it)', async () => {
  const fromImage = await search();
  expect(fromImage.stderr).not.toContain('refused');

  rmSync(image);
  const fromStore = await search();
  expect(fromStore.out).toEqual(fromImage.out);
  expect(existsSync(image)).toBe(true);

  // A flipped byte in the header is caught at open.
  flipByte(20);
  const headerDamaged = await search();
  expect(headerDamaged.out).toEqual(fromImage.out);
  expect(headerDamaged.stderr).toMatch(/model image .* refused, reading the model from the store: .*header/);
  expect((await search()).stderr).not.toContain('refused');

  // A flipped byte in every row block is caught when the query's rows are read, and the search still answers.
  const size = statSync(image).size;
  for (let at = size - 1; at > size / 2; at -= 4096) flipByte(at);
  const rowsDamaged = await search();
  expect(rowsDamaged.out).toEqual(fromImage.out);
  expect(rowsDamaged.stderr).toMatch(/refused, reading the model from the store: .*checksum of block/);
  expect((await search()).stderr).not.toContain('refused');
});
