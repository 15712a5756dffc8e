// Paperboy JSON lines: the real shared dump and abs-records, plus a hand-written file with bad lines.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperFromPaperboyJson, parsePaperboyJsonl } from '../../../src/ingest/files/jsonl-paperboy.ts';
import { readLines } from '../../../src/ingest/files/lines.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { hasShared, sharedPath } from '../../helpers/shared.ts';
import { collect, papers, rejections } from './collect.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/files');
const DUMP = ['data', 'arxiv-cs-2025-2026.jsonl.gz'] as const;
const ABS = fixturePath('arxiv', 'abs-records.jsonl.gz');

describe.skipIf(!hasShared(...DUMP))('the shared arXiv cs dump (first 300 records)', () => {
  it('maps the first record field by field', async () => {
    const records = await collect(parsePaperboyJsonl(readLines(sharedPath(...DUMP)), 'dump.jsonl.gz'), 300);
    expect(rejections(records)).toEqual([]);
    const first = records[0];
    expect(first?.location).toBe('dump.jsonl.gz:1');
    const p = papers(records)[0];
    expect(p).toMatchObject({
      arxivId: '2503.11677',
      version: null,
      title: 'Simulation of prosthetic vision with PRIMA system and enhancement of face representation',
      authors: [
        'Jungyeon Park',
        'Anna Kochnev Goldstein',
        'Yueming Zhou',
        'Nathan Jensen',
        'Daniel Palanker',
      ],
      categories: ['cs.HC', 'cs.CV'],
      announced: '2025-03-18',
      published: '2025-03-18',
      comment: null,
      absUrl: 'https://arxiv.org/abs/2503.11677',
      pdfUrl: 'https://arxiv.org/pdf/2503.11677',
    });
    expect(
      p?.abstract.startsWith(
        'Objective. Patients implanted with the PRIMA photovoltaic subretinal prosthesis',
      ),
    ).toBe(true);
    expect(p?.abstract).not.toContain('\n');
  });

  it('keeps every record, in file order, with comments unwrapped', async () => {
    const all = papers(await collect(parsePaperboyJsonl(readLines(sharedPath(...DUMP)), 'dump'), 300));
    expect(all).toHaveLength(300);
    expect(all.slice(0, 3).map((p) => p.arxivId)).toEqual(['2503.11677', '2503.11685', '2503.11692']);
    expect(all[2]?.comment).toBe('IROS2025 under review');
    expect(all[12]?.comment).toBe(
      'Accepted In IEEE India Geoscience and Remote Sensing Symposium (InGARSS) 2024',
    );
    expect(all[13]?.categories).toEqual(['eess.IV', 'cs.AI', 'cs.CV', 'cs.LG', 'q-bio.QM']);
    expect(all.every((p) => p.arxivId !== null && p.title !== '' && p.authors.length > 0)).toBe(true);
  });
});

describe('abs-records (1,130 real records across archives)', () => {
  it('reads every record; `date` is the submission date, so it is published, not announced', async () => {
    const records = await collect(parsePaperboyJsonl(readLines(ABS), 'abs-records'));
    expect(records).toHaveLength(1130);
    expect(rejections(records)).toEqual([]);
    const byId = new Map(papers(records).map((p) => [p.arxivId, p]));
    expect(byId.get('acc-phys/9411001')).toMatchObject({
      title: 'Symplectic Computation of Lyapunov Exponents',
      authors: ['Salman Habib', 'Robert D. Ryne'],
      published: '1994-11-01',
      announced: null,
      version: 1,
      comment: '12 pages, uuencoded PostScript (figures included)',
    });
    expect(byId.get('acc-phys/9411004')).toMatchObject({
      doi: '10.1063/1.48251',
      journalRef: 'AIPConf.Proc.335:57-74,1995',
    });
    expect(byId.get('0704.0002')).toMatchObject({
      version: 2,
      categories: ['math.CO', 'cs.CG'],
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
    });
    expect(byId.get('supr-con/9411001')?.doi).toBe('10.1103/physrevb.51.15478');
  });
});

describe('a hand-written file with bad lines', () => {
  it('rejects what it cannot parse, with the line and the reason, and keeps the rest', async () => {
    const records = await collect(parsePaperboyJsonl(readLines(`${FIXTURES}/bad.jsonl`), 'bad.jsonl'));
    expect(records.map((r) => r.location)).toEqual([
      'bad.jsonl:1',
      'bad.jsonl:2',
      'bad.jsonl:3',
      'bad.jsonl:5',
      'bad.jsonl:6',
      'bad.jsonl:7',
    ]);
    const why = rejections(records);
    expect(why[0]).toMatch(/^bad\.jsonl:2: line is not JSON: Unexpected token/);
    expect(why[1]).toBe('bad.jsonl:3: line is JSON but not an object (it is an array)');
    expect(why[2]).toBe('bad.jsonl:5: field "authors" should be an array of strings, not a string');
    expect(why[3]).toMatch(/^bad\.jsonl:6: line is not JSON: /);
    const last = papers(records)[1];
    expect(last).toMatchObject({
      arxivId: '2501.00004',
      version: 3,
      doi: '10.1234/abc.567',
      comment: '5 pages',
      journalRef: 'Proc. Toy Conf. 2025',
      published: '2025-01-05',
      announced: null,
    });
  });
});

describe('paperFromPaperboyJson', () => {
  it('reads camelCase exports, falls back to the byline, and refuses an arxiv_id that is not one', () => {
    const p = paperFromPaperboyJson({
      arxivId: 'hep-th/9901001v2',
      title: ' Spaced\n title ',
      authors_raw: 'A. One, B. Two and C. Three (Somewhere U.)',
      journalRef: 'J. Toy 1 (1999)',
      absUrl: 'https://arxiv.org/abs/hep-th/9901001',
      announced: '1999-01-04',
    });
    expect(p).toMatchObject({
      arxivId: 'hep-th/9901001',
      version: 2,
      title: 'Spaced title',
      authors: ['A. One', 'B. Two', 'C. Three'],
      journalRef: 'J. Toy 1 (1999)',
      announced: '1999-01-04',
      published: null,
    });
    expect(() => paperFromPaperboyJson({ arxiv_id: 'abc', title: 'T' })).toThrow(
      '"abc", which is not an arXiv identifier',
    );
    expect(paperFromPaperboyJson({ id: 'local-7', title: 'T' }).arxivId).toBeNull();
  });
});
