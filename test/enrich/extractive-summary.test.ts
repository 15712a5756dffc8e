// Sentence splitting and the extractive TL;DR.
import { describe, expect, it } from 'vitest';
import { extractiveSummary } from '../../src/rank/extractive-summary.ts';
import { splitSentences } from '../../src/rank/sentences.ts';

describe('splitSentences', () => {
  it('does not cut at e.g., et al., decimals, initials or inside $…$ math', () => {
    expect(
      splitSentences(
        'Methods, e.g. Transformers, as in Smith et al. 2020 work. Accuracy rose by 3.5 points. ' +
          'Let $x = 1. Y$ hold for J. Smith. Done!',
      ),
    ).toEqual([
      'Methods, e.g. Transformers, as in Smith et al. 2020 work.',
      'Accuracy rose by 3.5 points.',
      'Let $x = 1. Y$ hold for J. Smith.',
      'Done!',
    ]);
  });

  it('joins lines and returns nothing for empty text', () => {
    expect(splitSentences('One line\nwraps here. Two.')).toEqual(['One line wraps here.', 'Two.']);
    expect(splitSentences('   ')).toEqual([]);
  });

  it('collapses every kind of whitespace run, and leaves single-spaced text (as stored) as it is', () => {
    const expected = ['One line wraps here.', 'Two.'];
    for (const gap of ['  ', '\t', '\u00a0', ' \r\n ', '\u2028'])
      expect(splitSentences(` One line${gap}wraps here.${gap}Two. `)).toEqual(expected);
    expect(splitSentences('One line wraps here. Two.')).toEqual(expected);
  });
});

describe('extractiveSummary', () => {
  it('picks the sentence that shares most words with the rest, not simply the first', () => {
    const abstract =
      'Large language models are increasingly deployed in many settings today. ' +
      'We introduce sparse attention pruning, which removes redundant attention heads from language models. ' +
      'Sparse attention pruning keeps accuracy while halving the cost of attention heads. ' +
      'Experiments on four benchmarks confirm the finding.';
    const s = extractiveSummary(abstract);
    expect(s?.kind).toBe('extractive');
    expect(s?.text).toContain('sparse attention pruning');
  });

  it('adds a second sentence when the best one is short, and cuts very long ones outside math', () => {
    expect(extractiveSummary('Graphs matter a great deal here. We prune graphs fast.')?.text).toBe(
      'Graphs matter a great deal here. We prune graphs fast.',
    );
    const long = `We study ${'word '.repeat(60)}$a + b = c$ ${'more '.repeat(20)}end.`;
    const text = extractiveSummary(long)!.text;
    expect(text.length).toBeLessThanOrEqual(322);
    expect((text.match(/\$/g) ?? []).length % 2).toBe(0);
  });

  it('gives null for an empty abstract', () => {
    expect(extractiveSummary('')).toBeNull();
  });
});
