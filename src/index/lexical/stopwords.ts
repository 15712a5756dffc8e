// English function words that carry no topic; dropped from titles, abstracts and queries before indexing.

/*
 * Kept short on purpose: only words that never decide relevance in paper search. Negations ("not", "no")
 * and words with a technical reading ("can", "will", "may", "up", "down", "over") stay searchable only when
 * they are ambiguous; the ones listed here are pure grammar.
 */
const WORDS = `
a about above after again against all also am an and any are as at
be been before being below between both but by
could did do does doing done during each either etc
few for from further had has have having he her here hers herself him himself his how however
i if in into is it its itself just
me more most my myself neither nor
of off on once only or other our ours ourselves out own
per same she should since so some such
than that the their theirs them themselves then there thereby therefore these they this those through thus to too
under until upon us very via was we were what when where whether which while who whom whose why with within without would
you your yours yourself yourselves
`;

/** The stopword set, lower-case and accent-free like the tokenizer's output. */
export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w !== ''));

/**
 * True when a normalized word is a stopword.
 * @example isStopword('the') // true
 */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
