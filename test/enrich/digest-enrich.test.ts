// The digest shows each paper's extractive TL;DR and its code link, in HTML and text, and no hostile link.
import { expect, it } from 'vitest';
import { renderDigest } from '../../src/services/digest/digest-render.ts';
import { paper } from '../helpers/temp-store.ts';

it('adds the TL;DR and the code link to HTML and text parts', () => {
  const abstract =
    'Background sentences open many abstracts about many things. We compress graph neural networks by pruning ' +
    'graph neural network layers. Pruned graph neural networks run twice as fast.';
  const m = renderDigest({
    email: 'ada@example.org',
    digestDate: '2026-07-02',
    frequency: 'daily',
    baseUrl: 'https://papers.example.org',
    unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/1.x',
    manageUrl: 'https://papers.example.org/digest/manage/1.x',
    messageId: '<1@papers.example.org>',
    sections: [
      {
        title: 'Trending',
        papers: [
          {
            paper: {
              ...paper({ arxivId: '2607.00009', title: 'Pruned GNNs', abstract }),
              comment: 'Code at https://github.com/g/prune. javascript:alert(1)',
              id: '2607.00009',
              createdAt: '',
              modifiedAt: '',
            },
          },
        ],
      },
    ],
  });
  expect(m.text).toContain(
    '   TL;DR (extractive): We compress graph neural networks by pruning graph neural network layers.',
  );
  expect(m.text).toContain('   Code: https://github.com/g/prune\n');
  expect(m.html).toContain('<b>TL;DR</b>');
  expect(m.html).toContain('href="https://github.com/g/prune"');
  expect(m.html + m.text).not.toMatch(/javascript:/i);
});
