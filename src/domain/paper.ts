// Plain types for papers as they flow from ingest into the store and out to surfaces.

/** What a source produces: one paper's metadata before it is stored. */
export interface PaperInput {
  /** arXiv identifier without version ("2503.11677", "hep-th/9901001"), or null for non-arXiv records. */
  arxivId: string | null;
  /** Current arXiv version number (1 for v1), or null when unknown. */
  version: number | null;
  /** DOI, lower-cased, without a resolver prefix ("10.1000/xyz"), or null. */
  doi: string | null;
  title: string;
  abstract: string;
  /** Author display names in byline order. */
  authors: string[];
  /** Categories with the primary category first ("cs.CL", "cs.LG"). */
  categories: string[];
  /** ISO dates (YYYY-MM-DD) or timestamps; null when the source does not say. */
  published: string | null;
  updated: string | null;
  announced: string | null;
  comment: string | null;
  journalRef: string | null;
  license: string | null;
  /** Abstract page and PDF links. */
  absUrl: string | null;
  pdfUrl: string | null;
}

/** A paper as stored: the input plus its public id and bookkeeping. */
export interface Paper extends PaperInput {
  /** Public id: the arXiv id when there is one, else "doi:<doi>", else "pb:<hash>". */
  id: string;
  /** When this store first saw the paper and last changed it (ISO timestamps). */
  createdAt: string;
  modifiedAt: string;
}

/** An empty PaperInput to spread defaults from, so sources only set what they know. */
export function emptyPaperInput(): PaperInput {
  return {
    arxivId: null,
    version: null,
    doi: null,
    title: '',
    abstract: '',
    authors: [],
    categories: [],
    published: null,
    updated: null,
    announced: null,
    comment: null,
    journalRef: null,
    license: null,
    absUrl: null,
    pdfUrl: null,
  };
}
