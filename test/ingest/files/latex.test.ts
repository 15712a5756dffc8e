// LaTeX decoding for bibliographic text: accents, special letters, escapes, dashes, math kept verbatim.
import { describe, expect, it } from 'vitest';
import { decodeLatex } from '../../../src/ingest/files/latex.ts';

describe('decodeLatex', () => {
  it.each([
    ['{\\"u}ber', 'über'],
    ['Schr\\"odinger', 'Schrödinger'],
    ["{\\'E}cole", 'École'],
    ['Erd\\H{o}s', 'Erdős'],
    ['\\v{C}ech', 'Čech'],
    ['Fran\\c{c}ois and Fran\\c cois', 'François and François'],
    ["Garc\\'{\\i}a", 'García'],
    ['na\\"\\i ve', 'naïve'],
    ['Gau\\ss{} and {\\o}re and \\L{}ukasz and {\\AA}ngstr\\"om', 'Gauß and øre and Łukasz and Ångström'],
    ["Cr\\`{e}me br\\^ul\\'ee", 'Crème brûlée'],
  ])('%s → %s', (input, expected) => {
    expect(decodeLatex(input)).toBe(expected);
  });

  it('unescapes, converts dashes and quotes, drops braces and text commands', () => {
    expect(decodeLatex("{BERT} -- a \\emph{very} \\textbf{bold} ``study'' --- 5\\% \\& \\$3 \\{set\\}")).toBe(
      'BERT – a very bold “study” — 5% & $3 {set}',
    );
  });

  it('leaves math untouched', () => {
    expect(decodeLatex('Bounds on $\\hat{x}_{\\"a}$ for {\\"a}')).toBe('Bounds on $\\hat{x}_{\\"a}$ for ä');
  });

  it('returns plain text as it is', () => {
    expect(decodeLatex("O'Brien's plain title")).toBe("O'Brien's plain title");
  });
});
