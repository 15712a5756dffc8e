// Text analysis: normalization, model names, LaTeX, stopwords and the Porter stemmer.
import { describe, expect, it } from 'vitest';
import { stem } from '../../src/index/lexical/stemmer.ts';
import { isStopword } from '../../src/index/lexical/stopwords.ts';
import { analyze, analyzeName, tokenize } from '../../src/index/lexical/tokenizer.ts';

describe('tokenize', () => {
  it('lower-cases, folds accents and special letters', () => {
    expect(tokenize('Café Müller Łukasz Straße Øresund')).toEqual([
      'cafe',
      'muller',
      'lukasz',
      'strasse',
      'oresund',
    ]);
  });

  it('keeps model names findable as written and without the hyphen', () => {
    expect(tokenize('GPT-4 COVID-19 Llama-3.1 BERT')).toEqual([
      'gpt',
      'gpt4',
      'covid',
      'covid19',
      'llama',
      'llama3.1',
      'bert',
    ]);
    expect(tokenize('GPT4')).toEqual(['gpt4']);
  });

  it('splits ordinary hyphenated words and dotted abbreviations but keeps decimals', () => {
    expect(tokenize('state-of-the-art e.g. 3.5 arxiv.org')).toEqual([
      'state',
      'of',
      'the',
      'art',
      'e',
      'g',
      '3.5',
      'arxiv',
      'org',
    ]);
  });

  it('drops LaTeX macros but keeps accented letters and math words', () => {
    expect(tokenize('Schr\\"odinger Erd\\H{o}s $\\mathcal{O}(n^2)$ 40\\% speedup $tanh$')).toEqual([
      'schrodinger',
      'erdos',
      'o',
      'n',
      '2',
      '40',
      'speedup',
      'tanh',
    ]);
  });

  it('drops possessive s and over-long junk', () => {
    expect(tokenize("Alzheimer's don't")).toEqual(['alzheimer', 'dont']);
    expect(tokenize('x'.repeat(41))).toEqual([]);
  });
});

describe('analyze', () => {
  it('drops stopwords and stems', () => {
    expect(analyze('The transformers are learning representations')).toEqual([
      'transform',
      'learn',
      'represent',
    ]);
    expect(isStopword('the')).toBe(true);
    expect(isStopword('not')).toBe(false);
  });

  it('keeps stopword-like surnames in author names', () => {
    expect(analyzeName('Li An')).toEqual(['li', 'an']);
  });
});

describe('Porter stemmer', () => {
  it.each([
    ['caresses', 'caress'],
    ['ponies', 'poni'],
    ['cats', 'cat'],
    ['agreed', 'agre'],
    ['plastered', 'plaster'],
    ['motoring', 'motor'],
    ['hopping', 'hop'],
    ['falling', 'fall'],
    ['filing', 'file'],
    ['happy', 'happi'],
    ['relational', 'relat'],
    ['conditional', 'condit'],
    ['digitizer', 'digit'],
    ['operator', 'oper'],
    ['hopefulness', 'hope'],
    ['formalize', 'formal'],
    ['electrical', 'electr'],
    ['adjustable', 'adjust'],
    ['replacement', 'replac'],
    ['adoption', 'adopt'],
    ['effective', 'effect'],
    ['controll', 'control'],
    ['generalization', 'gener'],
    ['running', 'run'],
    ['sky', 'sky'],
  ])('%s → %s', (word, expected) => expect(stem(word)).toBe(expected));

  it('leaves short words, numbers and non-ASCII words alone', () => {
    expect(['is', 'gpt4', '3.5', 'α'].map(stem)).toEqual(['is', 'gpt4', '3.5', 'α']);
  });
});
