// Each file format hands on the record's own id (JSONL id, BibTeX key, CSL-JSON id) as its external id.
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/domain/record.ts';
import { parseBibtex } from '../../../src/ingest/files/bibtex.ts';
import { parseCslJson } from '../../../src/ingest/files/csl-json.ts';
import { parsePaperboyJsonl } from '../../../src/ingest/files/jsonl-paperboy.ts';
import { collect } from './collect.ts';

const lines = (text: string) => text.split('\n').map((line, i) => ({ line, lineNo: i + 1 }));
const extIds = (records: SourceRecord[]) => records.map((r) => (r.ok ? (r.externalId ?? null) : 'rejected'));

describe('source ids', () => {
  it('keeps a Paperboy JSONL id unless it is the arXiv id, numbers too', async () => {
    const text = [
      '{"id": "1234", "title": "Erratum"}',
      '{"id": 1235, "title": "Erratum"}',
      '{"id": "arxiv:2401.00001", "title": "T"}',
      '{"title": "No id"}',
    ].join('\n');
    expect(extIds(await collect(parsePaperboyJsonl(lines(text), 'cacm.jsonl')))).toEqual([
      { source: 'cacm.jsonl', id: '1234' },
      { source: 'cacm.jsonl', id: '1235' },
      null,
      null,
    ]);
  });

  it('keeps a BibTeX citation key', async () => {
    const text = '@article{knuth65, title={Erratum}}\n@misc{ lamport94 , title={LaTeX}}\n';
    expect(extIds(await collect(parseBibtex(lines(text), 'refs.bib')))).toEqual([
      { source: 'refs.bib', id: 'knuth65' },
      { source: 'refs.bib', id: 'lamport94' },
    ]);
  });

  it('keeps a CSL-JSON item id', async () => {
    const text = JSON.stringify([{ id: 'item-1', title: 'A' }, { id: 7, title: 'B' }, { title: 'C' }]);
    expect(extIds(await collect(parseCslJson([text], 'zotero.json')))).toEqual([
      { source: 'zotero.json', id: 'item-1' },
      { source: 'zotero.json', id: '7' },
      null,
    ]);
  });
});
