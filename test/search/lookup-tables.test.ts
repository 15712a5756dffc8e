// The spelling vocabulary and the suggestion tables on their own: which corrections win, what each kind suggests.
import { describe, expect, it } from 'vitest';
import { editDistance, SpellingVocabulary } from '../../src/index/lookup/spelling-vocabulary.ts';
import { SuggestIndex } from '../../src/index/lookup/suggest-index.ts';

describe('SpellingVocabulary', () => {
  const v = new SpellingVocabulary();
  for (let i = 0; i < 120; i++) v.addText('transformer tokenization attention');
  for (let i = 0; i < 3; i++) v.addText('transformed tokenizations');
  v.addText('transfomer'); // a typo that made it into one abstract

  it('corrects deletions, insertions, substitutions and transpositions to the most frequent neighbour', () => {
    expect(v.correct('tokenizaton')).toBe('tokenization');
    expect(v.correct('transfomer')).toBe('transformer');
    expect(v.correct('atention')).toBe('attention');
    expect(v.correct('attnetion')).toBe('attention');
    expect(v.correct('Tokenizaiton')).toBe('tokenization');
  });

  it('tries two edits when one finds nothing', () => {
    expect(v.correct('atentoin')).toBe('attention');
  });

  it('leaves known, short and unrelated words alone', () => {
    expect(v.correct('tokenization')).toBeNull();
    expect(v.correct('tokenizations')).toBeNull();
    expect(v.correct('atn')).toBeNull();
    expect(v.correct('zebra')).toBeNull();
  });

  it('measures optimal string alignment distance with a bound', () => {
    expect(editDistance('abcd', 'acbd', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
  });
});

describe('SuggestIndex', () => {
  const s = new SuggestIndex(new Map([['cs.CL', 'Computation and Language']]));
  for (let i = 0; i < 6; i++)
    s.add({
      id: `2601.0000${i}`,
      title: `Graph neural networks for molecules, part ${i}`,
      authors: ['Ada Lovelace'],
      categories: ['cs.CL'],
    });
  s.add({ id: '2601.00010', title: 'Graphs of words', authors: ['Grace Hopper'], categories: [] });

  it('suggests titles whose words start with what was typed, exact starts first', () => {
    const titles = s.suggest('graph neu').filter((x) => x.kind === 'title');
    expect(titles).toHaveLength(5);
    expect(titles.every((t) => t.label.startsWith('Graph neural networks'))).toBe(true);
    expect(s.suggest('graphs of').find((x) => x.kind === 'title')?.value).toBe('2601.00010');
  });

  it('suggests topics (two-word title phrases of five papers or more), authors and categories', () => {
    expect(s.suggest('neural net').filter((x) => x.kind === 'topic')).toEqual([
      { kind: 'topic', label: 'neural networks', value: '"neural networks"' },
    ]);
    expect(s.suggest('lovel').filter((x) => x.kind === 'author')).toEqual([
      { kind: 'author', label: 'Ada Lovelace', value: 'author:"Ada Lovelace"' },
    ]);
    expect(s.suggest('cs.c').filter((x) => x.kind === 'category')).toEqual([
      { kind: 'category', label: 'cs.CL – Computation and Language', value: 'cat:cs.CL' },
    ]);
  });

  it('suggests nothing for fewer than two letters', () => {
    expect(s.suggest('g')).toEqual([]);
    expect(s.suggest('  ')).toEqual([]);
  });
});
