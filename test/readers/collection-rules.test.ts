// The pure rules of collections and handles: slugs, titles, notes and the handle pattern.
import { describe, expect, it } from 'vitest';
import {
  checkDescription,
  checkHandle,
  checkNote,
  checkTitle,
  makeSlug,
  SLUG_PATTERN,
} from '../../src/services/collections/index.ts';

const bytes =
  (...v: number[]) =>
  (n: number): Buffer =>
    Buffer.from(Array.from({ length: n }, (_, i) => v[i % v.length] ?? 0));

describe('slugs', () => {
  it('are the title in ASCII words plus six random characters, always a valid slug', () => {
    expect(makeSlug('Vision Transformers: a survey!', bytes(0, 1, 2, 3, 4, 5))).toBe(
      'vision-transformers-a-survey-abcdef',
    );
    expect(makeSlug('Équations différentielles', bytes(30))).toBe('equations-differentielles-999999');
    expect(makeSlug('日本語のタイトル', bytes(7))).toBe('collection-hhhhhh');
    expect(makeSlug('<script>alert(1)</script>', bytes(1))).toBe('script-alert-1-script-bbbbbb');
    const long = makeSlug('a'.repeat(39) + ' tail words here', bytes(2));
    expect(long).toBe(`${'a'.repeat(39)}-cccccc`);
    for (const t of ['x', '---', 'A  B', 'ß'.repeat(200)])
      expect(makeSlug(t, bytes(9)), t).toMatch(SLUG_PATTERN);
  });
});

describe('collection text', () => {
  it('trims, folds title whitespace, keeps line breaks in notes and descriptions, and counts characters', () => {
    expect(checkTitle('  Two\n lines\t here ')).toBe('Two lines here');
    expect(checkNote(' first\r\nsecond\tthird ')).toBe('first\nsecond third');
    expect(checkDescription('')).toBe('');
    expect(checkTitle('😀'.repeat(120))).toHaveLength(240);
    expect(() => checkTitle('😀'.repeat(121))).toThrow(/121 characters; the limit is 120/);
    expect(() => checkNote(42)).toThrow(/The note must be text/);
    expect(checkTitle('a\u202eb')).toBe('ab');
  });
});

describe('handles', () => {
  it('takes 2-30 ASCII letters, digits, "_" and "-", starting with a letter or digit', () => {
    expect(checkHandle(' @Ada_L ')).toBe('Ada_L');
    expect(checkHandle('x1')).toBe('x1');
    expect(checkHandle('a'.repeat(30))).toBe('a'.repeat(30));
    for (const bad of ['a', 'a'.repeat(31), '-ada', '_ada', 'ad a', 'ada/..', 'ада', 'a.b', 'a%20b', ''])
      expect(() => checkHandle(bad), bad).toThrow(/2 to 30/);
    for (const reserved of ['admin', 'API', 'Settings', 'paperboy'])
      expect(() => checkHandle(reserved), reserved).toThrow(/reserved/);
  });
});
