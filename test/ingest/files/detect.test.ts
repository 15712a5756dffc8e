// Format detection from content: every supported format, and things that must not be mistaken for one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeContent, detectFormat, HEAD_CHARS } from '../../../src/ingest/files/detect.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { hasShared, sharedPath } from '../../helpers/shared.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/files');

function headOf(path: string): string {
  const bytes = readFileSync(path);
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return new TextDecoder().decode(text).slice(0, HEAD_CHARS);
}

describe('detectFormat on hand-written fixtures', () => {
  it.each([
    ['kaggle-sample.jsonl', 'kaggle-jsonl'],
    ['bad.jsonl', 'paperboy-jsonl'],
    ['refs-with-errors.bib', 'bibtex'],
    ['zotero-export.json', 'csl-json'],
    ['papers-page-blocks.txt', 'plain-text'],
    ['tiny.png', null],
  ])('%s → %s', (name, format) => {
    expect(detectFormat(headOf(`${FIXTURES}/${name}`), name)).toBe(format);
  });
});

describe('detectFormat on inline samples', () => {
  it('ignores the file name when the content says otherwise', () => {
    expect(detectFormat('@article{k, title = {T}}', 'notes.txt')).toBe('bibtex');
    expect(detectFormat('{"arxiv_id": "2501.00001", "title": "T"}', 'refs.bib')).toBe('paperboy-jsonl');
  });

  it('uses a .bib name only for text nothing else claims', () => {
    expect(detectFormat('% only comments so far\n', 'refs.bib')).toBe('bibtex');
    expect(detectFormat('% only comments so far\n', 'refs.txt')).toBeNull();
  });

  it('tells CSL objects from paper lines, and a pretty-printed CSL object from nothing', () => {
    expect(detectFormat('{\n  "type": "article",\n  "author": [{"family": "X"}]\n}', 'one.json')).toBe(
      'csl-json',
    );
    expect(detectFormat('[\n  {"title": "T"}\n]', 'list.json')).toBe('csl-json');
    expect(detectFormat('[1, 2, 3]', 'numbers.json')).toBeNull();
  });

  it('does not mistake other JSON lines (a BEIR corpus) for papers', () => {
    expect(
      detectFormat(
        '{"_id": "4983", "title": "Microstructural development", "text": "Alterations of ..."}',
        'corpus.jsonl',
      ),
    ).toBeNull();
  });

  it('recognizes the XML responses and refuses other XML and HTML', () => {
    expect(
      detectFormat('<?xml version="1.0"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">', 'a.xml'),
    ).toBe('oai-pmh');
    expect(
      detectFormat('<feed xmlns:arxiv="http://arxiv.org/schemas/atom"><opensearch:totalResults>', 'a.xml'),
    ).toBe('arxiv-atom');
    expect(
      detectFormat('<rss version="2.0"><channel><link>http://rss.arxiv.org/rss/cs.CL</link>', 'a.xml'),
    ).toBe('arxiv-rss');
    expect(
      detectFormat('<feed xmlns="http://www.w3.org/2005/Atom"><title>My blog</title>', 'a.xml'),
    ).toBeNull();
    expect(detectFormat('<!DOCTYPE html><html><body>Hi</body></html>', 'a.html')).toBeNull();
  });

  it('refuses empty, binary and unstructured text', () => {
    expect(detectFormat('', 'x')).toBeNull();
    expect(detectFormat('\u0000\u0001\u0002garbage', 'x.jsonl')).toBeNull();
    expect(detectFormat('just a short note\nwith two lines\n', 'x.txt')).toBeNull();
  });
});

describe('describeContent', () => {
  it('names common non-paper files', () => {
    expect(describeContent(headOf(`${FIXTURES}/tiny.png`))).toBe('a PNG image');
    expect(describeContent('%PDF-1.7\n')).toBe('a PDF document');
    expect(describeContent('<html><body>')).toBe('an HTML page');
    expect(describeContent('')).toBe('an empty file');
  });
});

describe('detectFormat on the recorded data', () => {
  it.each([
    [['arxiv', 'abs-records.jsonl.gz'], 'paperboy-jsonl'],
    [['seed', 'papers-page.txt'], 'plain-text'],
    [['arxiv', 'atom-api', 'q_testing_s0_m10_bc5a6c384fe9.xml'], 'arxiv-atom'],
    [['arxiv', 'oai-pmh', 'listrecords_oai_dc_cs_2024-01-25_with_resumptionToken.xml'], 'oai-pmh'],
    [['arxiv', 'oai-pmh', 'tests__unit__responses__arxiv__sample_arxiv_record0.xml'], 'oai-pmh'],
  ] as const)('%s → %s', (parts, format) => {
    expect(detectFormat(headOf(fixturePath(...parts)), parts.at(-1) ?? '')).toBe(format);
  });
});

describe.skipIf(!hasShared('data', 'arxiv-cs-2025-2026.jsonl.gz'))('detectFormat on the large corpus', () => {
  it('reads the shared dump as Paperboy JSON lines', () => {
    const dump = sharedPath('data', 'arxiv-cs-2025-2026.jsonl.gz');
    expect(detectFormat(headOf(dump), 'arxiv-cs-2025-2026.jsonl.gz')).toBe('paperboy-jsonl');
  });
});
