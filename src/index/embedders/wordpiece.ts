// BERT-style WordPiece tokenizer from a vocab.txt, as local sentence-transformer ONNX models expect.

/** Encodes text to token ids with [CLS] … [SEP], truncated to a maximum length. */
export interface WordPiece {
  encode(text: string, maxTokens: number): number[];
  readonly padId: number;
}

/** Splits on whitespace, then isolates punctuation, as BERT's basic tokenizer does. */
function basicTokens(text: string, lowerCase: boolean): string[] {
  let t = text.normalize('NFD');
  if (lowerCase) t = t.toLowerCase().replace(/\p{M}/gu, '');
  return t
    .replace(/\p{Cc}/gu, ' ')
    .replace(/([\p{P}\p{S}]|[\u4e00-\u9fff])/gu, ' $1 ')
    .split(/\s+/)
    .filter((w) => w !== '');
}

/** Greedy longest-match-first split of one word into vocabulary pieces, or [UNK]. */
function pieces(word: string, vocab: ReadonlyMap<string, number>, unk: number): number[] {
  if (word.length > 100) return [unk];
  const out: number[] = [];
  let start = 0;
  while (start < word.length) {
    let end = word.length;
    let id: number | undefined;
    for (; end > start; end--) {
      id = vocab.get((start > 0 ? '##' : '') + word.slice(start, end));
      if (id !== undefined) break;
    }
    if (id === undefined) return [unk];
    out.push(id);
    start = end;
  }
  return out;
}

/**
 * Builds a tokenizer from vocab.txt contents (one token per line, id = line number).
 * @example const wp = createWordPiece(readFileSync('model/vocab.txt', 'utf8')); wp.encode('Protein folding', 128);
 */
export function createWordPiece(vocabText: string, lowerCase = true): WordPiece {
  const vocab = new Map(
    vocabText
      .split(/\r?\n/)
      .map((t, i) => [t, i] as const)
      .filter(([t]) => t !== ''),
  );
  const special = (name: string, fallback: number): number => vocab.get(name) ?? fallback;
  const cls = special('[CLS]', 101);
  const sep = special('[SEP]', 102);
  const unk = special('[UNK]', 100);
  return {
    padId: special('[PAD]', 0),
    encode(text, maxTokens) {
      const ids = [cls];
      for (const word of basicTokens(text, lowerCase)) {
        for (const id of pieces(word, vocab, unk)) {
          if (ids.length >= maxTokens - 1) return [...ids, sep];
          ids.push(id);
        }
      }
      return [...ids, sep];
    },
  };
}
