// The search language's has:code / has:data / has:model filter, through the lexical index.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { createLexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { parseQuery } from '../../src/index/lexical/query.ts';
import { toLexicalDoc } from '../../src/services/search/search-indexes.ts';
import type { Paper } from '../../src/domain/index.ts';
import { emptyPaperInput } from '../../src/domain/paper.ts';

const paper = (id: string, abstract: string, comment: string | null = null): Paper => ({
  ...emptyPaperInput(),
  id,
  title: `Graph networks ${id}`,
  abstract,
  comment,
  createdAt: '2026-01-01T00:00:00Z',
  modifiedAt: '2026-01-01T00:00:00Z',
});

describe('has: filter', () => {
  const index = createLexicalIndex();
  index.add(toLexicalDoc(paper('a', 'Graph networks for molecules.', 'Code: https://github.com/o/r')));
  index.add(
    toLexicalDoc(paper('b', 'Graph networks for proteins, data at https://huggingface.co/datasets/o/d.')),
  );
  index.add(toLexicalDoc(paper('c', 'Graph networks without links.')));
  const ids = (q: string): string[] =>
    index
      .search(q, { k: 10 })
      .map(([id]) => id)
      .sort();

  it('keeps only papers with the link kind, and -has: drops them', () => {
    expect(ids('graph has:code')).toEqual(['a']);
    expect(ids('graph has:data')).toEqual(['b']);
    expect(ids('graph has:model')).toEqual([]);
    expect(ids('graph -has:code')).toEqual(['b', 'c']);
    expect(ids('graph')).toEqual(['a', 'b', 'c']);
  });

  it('is not reachable through cat: and refuses unknown kinds', () => {
    expect(ids('graph cat:has')).toEqual([]);
    expect(() => parseQuery('graph has:stars')).toThrow(AppError);
    expect(parseQuery('has:Code').has).toEqual(['code']);
  });
});
