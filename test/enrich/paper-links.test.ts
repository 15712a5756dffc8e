// Link extraction: classification, normalization and refusal of what is not an http(s) link.
import { describe, expect, it } from 'vitest';
import { classifyLink, extractPaperLinks, MAX_LINKS } from '../../src/ingest/paper-links.ts';

const links = (abstract: string, comment: string | null = null, journalRef: string | null = null) =>
  extractPaperLinks({ abstract, comment, journalRef });

describe('extractPaperLinks', () => {
  it('finds a code link in a comment and keeps one entry per repository', () => {
    expect(
      links(
        'See https://github.com/Org/Repo/tree/main/src.',
        'Code: http://github.com/Org/Repo.git; also github.com/Org/Repo',
      ),
    ).toEqual([{ kind: 'code', url: 'https://github.com/Org/Repo', label: 'Org/Repo' }]);
  });

  it('classifies code, model, data, project and video hosts', () => {
    const found = links(
      'https://gitlab.com/a/b https://bitbucket.org/c/d https://codeberg.org/e/f ' +
        'https://archive.softwareheritage.org/swh:1:dir:abc https://huggingface.co/meta/llama ' +
        'https://huggingface.co/datasets/org/set https://zenodo.org/records/123 https://www.kaggle.com/datasets/x/y ' +
        'https://osf.io/abcd https://team.github.io/proj/ https://youtu.be/xyz Project page: https://example.org/p',
    );
    expect(found.map((l) => [l.kind, l.label])).toEqual([
      ['code', 'a/b'],
      ['code', 'c/d'],
      ['code', 'e/f'],
      ['code', 'Software Heritage'],
      ['model', 'meta/llama'],
      ['data', 'org/set'],
      ['data', 'zenodo.org'],
      ['data', 'kaggle.com'],
      ['data', 'osf.io'],
      ['project', 'team.github.io/proj'],
      ['project', 'example.org'],
      ['video', 'youtu.be'],
    ]);
  });

  it('unwraps \\url{} and \\href{}{} and drops a "}" from LaTeX', () => {
    expect(
      links('code at \\url{https://github.com/a/b} and \\href{https://github.com/c/d}{here}').map(
        (l) => l.url,
      ),
    ).toEqual(['https://github.com/a/b', 'https://github.com/c/d']);
    expect(links('(https://github.com/a/b}).')[0]?.url).toBe('https://github.com/a/b');
  });

  it('strips trailing punctuation but keeps balanced parentheses in the URL', () => {
    expect(links('(see https://github.com/a/b).')[0]?.url).toBe('https://github.com/a/b');
    expect(links('at https://en.wikipedia.org/wiki/Foo_(bar).')[0]?.url).toBe(
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    );
  });

  it('upgrades http to https only for known hosts', () => {
    expect(links('http://huggingface.co/datasets/a/b')[0]?.url).toBe('https://huggingface.co/datasets/a/b');
    expect(links('http://example.org/x')[0]?.url).toBe('http://example.org/x');
  });

  it('refuses non-http schemes, javascript:, malformed URLs and credentials', () => {
    expect(links('javascript:alert(1) ftp://github.com/a/b file:///etc/passwd data:text/html,x')).toEqual([]);
    expect(classifyLink('javascript:alert(1)')).toBeNull();
    expect(classifyLink('https://')).toBeNull();
    expect(classifyLink('http://[::1')).toBeNull();
    expect(classifyLink('https://user:pw@github.com/a/b')).toBeNull();
    expect(classifyLink(`https://example.org/${'x'.repeat(600)}`)).toBeNull();
  });

  it('returns nothing for text without links and caps a list of many', () => {
    expect(links('We study graphs, e.g. trees.')).toEqual([]);
    const many = Array.from({ length: 40 }, (_, i) => `https://github.com/o/r${i}`).join(' ');
    expect(links(many)).toHaveLength(MAX_LINKS);
  });

  it('reads a repository host root page as other, not code', () => {
    expect(links('https://github.com/features/copilot')[0]?.kind).toBe('other');
  });
});
