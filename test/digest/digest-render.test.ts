// The digest renderer on its own: abstracts cut to 400 characters (after the math is made readable), reasons under
// their papers in both parts, and each paper shown the same way in HTML and text.
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/domain/index.ts';
import { mathText } from '../../src/digest/digest-math-text.ts';
import { renderDigest } from '../../src/services/digest/digest-render.ts';
import { paper } from '../helpers/temp-store.ts';

function asPaper(arxivId: string, title: string, abstract: string): Paper {
  return { ...paper({ arxivId, title, abstract }), id: arxivId, createdAt: '', modifiedAt: '' };
}

const base = {
  email: 'ada@example.org',
  digestDate: '2026-07-02',
  frequency: 'daily' as const,
  baseUrl: 'https://papers.example.org',
  unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/1.x',
  manageUrl: 'https://papers.example.org/digest/manage/1.x',
  messageId: '<1@papers.example.org>',
};

describe('renderDigest', () => {
  it('cuts long abstracts to 400 characters with an ellipsis and keeps one of exactly 400', () => {
    const long = `${'$\\alpha$ word '.repeat(150)}END`;
    const exact = 'é'.repeat(400);
    const m = renderDigest({
      ...base,
      sections: [
        {
          title: 'Trending',
          papers: [
            { paper: asPaper('2607.00001', 'Long', long) },
            { paper: asPaper('2607.00002', 'Exact', exact) },
          ],
        },
      ],
    });
    const cut = /\n {3}(α word[^\n]*)\n/.exec(m.text)?.[1] ?? '';
    expect([...cut].length).toBeLessThanOrEqual(400);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('END');
    expect(m.text).toContain(`   ${exact}\n`);
    expect(m.html).toContain(`>${exact}</p>`);
    expect(m.html).toContain(cut);
  });

  it('counts characters, not UTF-16 units, when it cuts', () => {
    const astral = '𝒜'.repeat(401);
    const m = renderDigest({
      ...base,
      sections: [{ title: 'Trending', papers: [{ paper: asPaper('2607.00004', 'Astral', astral) }] }],
    });
    expect(m.text).toContain(`   ${'𝒜'.repeat(399)}…\n`);
  });

  it('puts each reason under its paper in HTML and text, escaped in HTML', () => {
    const m = renderDigest({
      ...base,
      sections: [
        {
          title: 'Saved-search alerts',
          papers: [
            { paper: asPaper('2607.00003', 'O(n^2) <fast>', 'x'), reason: 'matches your alert "a<b"' },
          ],
        },
      ],
    });
    expect(m.subject).toBe('Daily papers 2026-07-02: O(n²) <fast>');
    expect(m.html).toContain('O(n²) &lt;fast&gt;</a>');
    expect(m.html).toContain('matches your alert &quot;a&lt;b&quot;</p>');
    expect(m.text).toContain(
      'SAVED-SEARCH ALERTS\n\n1. O(n²) <fast>\n   Ada Lovelace, Charles Babbage\n   matches your alert "a<b"',
    );
  });

  it('makes LaTeX readable', () => {
    expect(mathText('$\\mathcal{O}(n^{2})$ with $\\alpha$')).toBe('O(n²) with α');
  });
});
