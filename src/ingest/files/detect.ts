// Recognizes a file's format from the first kilobytes of its content (after gunzip), not from its name.

/** Every file format Paperboy imports, with a one-line description for error messages and help. */
export const FILE_FORMATS = {
  'paperboy-jsonl': 'JSON lines {arxiv_id, title, abstract, authors[], categories[], date, ...}',
  'kaggle-jsonl': 'the Kaggle arxiv-metadata-oai-snapshot JSON lines',
  bibtex: 'BibTeX / BibLaTeX (.bib)',
  'csl-json': 'CSL-JSON, a JSON array of items as Zotero exports it',
  'arxiv-atom': 'an arXiv export-API Atom response',
  'oai-pmh': 'an arXiv OAI-PMH ListRecords/GetRecord response',
  'arxiv-rss': 'an arXiv daily listing feed (rss.arxiv.org, RSS or Atom)',
  'plain-text': 'a papers page copied as text: a title line, then an abstract line',
} as const;

export type FileFormat = keyof typeof FILE_FORMATS;

/** How much decoded text detection looks at; enough for a few records of any format. */
export const HEAD_CHARS = 16 * 1024;

const BIBTEX_ENTRY = /^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]/m;
const KAGGLE_KEYS = /"(authors_parsed|update_date|journal-ref|submitter|report-no)"\s*:/;
const CSL_KEYS = /"(date-parts|container-title|citation-key|family|given)"\s*:/;
const PAPER_KEYS = /"(abstract|arxiv_id|arxivId)"\s*:/;

/**
 * The format of a file from the start of its text, or null when it is none Paperboy reads. The file
 * name is only a tie-breaker (a .bib whose first entry lies beyond the head).
 * @example detectFormat('@article{k, title={T}}', 'refs.txt') // 'bibtex'
 */
export function detectFormat(head: string, fileName: string): FileFormat | null {
  const text = head.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '' || looksBinary(text)) return null;
  if (start.startsWith('<')) return detectXml(start);
  if (start.startsWith('[')) return /^\[\s*(\{|\]|$)/.test(start) ? 'csl-json' : null;
  if (start.startsWith('{')) {
    const firstLine = start.split('\n', 1)[0] ?? '';
    // A pretty-printed object opens with a bare "{"; then its keys follow on the next lines.
    return detectJsonObject(firstLine.trim() === '{' ? start : firstLine);
  }
  if (BIBTEX_ENTRY.test(text)) return 'bibtex';
  if (hasTitleAbstractPair(text)) return 'plain-text';
  return /\.(bib|bibtex)(\.gz)?$/i.test(fileName) ? 'bibtex' : null;
}

/**
 * A short human description of content no format matched, for the error message.
 * @example describeContent('\uFFFDPNG\r\n') // 'a PNG image'
 */
export function describeContent(head: string): string {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (start === '') return 'an empty file';
  if (/^\uFFFDPNG/.test(head)) return 'a PNG image';
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('PK\u0003\u0004')) return 'a ZIP archive';
  if (/^<(!doctype html|html)/i.test(start)) return 'an HTML page';
  if (start.startsWith('<')) return 'XML that is not an arXiv response';
  if (start.startsWith('{') || start.startsWith('[')) return 'JSON in a shape Paperboy does not know';
  if (looksBinary(head)) return 'binary data';
  return 'text in no known layout';
}

/** NUL bytes, or many undecodable bytes and control characters, mean binary data. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < sample.length; i += 1) {
    const code = sample.charCodeAt(i);
    if (code === 0xfffd || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d))
      odd += 1;
  }
  return odd > sample.length / 50;
}

function detectXml(start: string): FileFormat | null {
  const body = start
    .replace(/^<\?xml[\s\S]*?\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trimStart();
  if (/^<([\w-]+:)?OAI-PMH[\s>]/.test(body)) return 'oai-pmh';
  if (/^<rss[\s>]/.test(body)) return /arxiv/i.test(body) ? 'arxiv-rss' : null;
  if (!/^<([\w-]+:)?feed[\s>]/.test(body) || !/arxiv/i.test(body)) return null;
  // Listing feeds carry an announce type per entry; export-API feeds carry opensearch counts.
  return /announce_type|rss\.arxiv\.org/i.test(body) ? 'arxiv-rss' : 'arxiv-atom';
}

function detectJsonObject(firstLine: string): FileFormat | null {
  if (KAGGLE_KEYS.test(firstLine)) return 'kaggle-jsonl';
  if (CSL_KEYS.test(firstLine)) return 'csl-json';
  if (/"title"\s*:/.test(firstLine) && PAPER_KEYS.test(firstLine)) return 'paperboy-jsonl';
  return null;
}

/** A title-sized line directly followed by an abstract-sized one, as on a copied papers page. */
function hasTitleAbstractPair(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const title = lines[i] ?? '';
    const abstract = lines[i + 1] ?? '';
    if (
      title.length >= 5 &&
      title.length <= 600 &&
      abstract.length >= 200 &&
      abstract.length > 2 * title.length
    )
      return true;
  }
  return hasWrappedPapers(text);
}

/** At least two blank-separated blocks of a title line followed by a wrapped, sentence-ending abstract. */
function hasWrappedPapers(text: string): boolean {
  const blocks = text.split(/\n[ \t]*\n/).map((b) =>
    b
      .trim()
      .split('\n')
      .map((l) => l.trim()),
  );
  const papers = blocks.filter(([title = '', ...rest]) => {
    const abstract = rest.join(' ');
    return (
      title.length >= 5 &&
      title.length <= 300 &&
      !/[.:;,]$/.test(title) &&
      abstract.length >= 100 &&
      /[.!?)]$/.test(abstract)
    );
  });
  return papers.length >= 2;
}
