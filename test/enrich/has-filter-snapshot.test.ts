// A search index snapshot written before link kinds were indexed is rebuilt once on open, so has:code covers old papers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseQuery } from '../../src/index/lexical/query.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

it('rebuilds a lexical snapshot without link kinds, keeping its vectors state', async () => {
  await env.store.papers.upsertMany([
    paper({ arxivId: '2501.00001', title: 'Walrus tusks', comment: 'Code: https://github.com/w/tusks' }),
    paper({ arxivId: '2501.00002', title: 'Walrus teeth' }),
  ]);
  const dir = join(env.dir, 'index');
  const first = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await first.open();
  // Pretend the snapshot is an old one: no link kinds indexed, no docFeatures in its state.
  first.lexical.remove('2501.00001');
  first.lexical.add({
    id: '2501.00001',
    title: 'Walrus tusks',
    abstract: '',
    authors: [],
    categories: [],
    date: null,
  });
  first.save();
  const stateFile = join(currentSnapshot(dir)!, 'state.json');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
  delete state.docFeatures;
  writeFileSync(stateFile, JSON.stringify(state));

  const reopened = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await reopened.open();
  expect(reopened.lexical.search(parseQuery('walrus has:code'), { k: 10 }).map(([id]) => id)).toEqual([
    '2501.00001',
  ]);
});
