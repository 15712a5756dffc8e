// A document reduced to term ids (analyzed and interned), so analysis can run apart from the index it goes into.
import { dateKey } from './date-bound.ts';
import type { TermIds } from './forward-store.ts';
import { categoryTerm, featureTerm } from './index-state.ts';
import { validateDoc, type LexicalDoc } from './lexical-doc.ts';
import { analyze, analyzeName } from './tokenizer.ts';

/** What `LexicalIndex.addAnalyzed` needs of a document: no text left, only term ids of one vocabulary. */
export interface AnalyzedDoc {
  readonly id: string;
  /** `dateKey` of the document's date. */
  readonly date: number;
  /** Term ids of the title, the abstract and the authors, in text order. */
  readonly fields: readonly [TermIds, TermIds, TermIds];
  /** Category terms (distinct), then link-kind terms (distinct), each posted with no frequency. */
  readonly tags: TermIds;
}

/**
 * Analyzes `doc` and numbers its terms through `intern`, in the order `LexicalIndex.add` always has (title,
 * abstract, authors, categories, link kinds), so a vocabulary built by one caller numbers terms exactly as
 * another building from the same documents in the same order. Throws AppError('BAD_INPUT') for a malformed doc.
 * @example analyzeDoc(doc, (t) => vocabulary.intern(t)).fields[0] // the title's term ids
 */
export function analyzeDoc(doc: LexicalDoc, intern: (term: string) => number): AnalyzedDoc {
  validateDoc(doc);
  const title = analyze(doc.title).map(intern);
  const abstract = analyze(doc.abstract).map(intern);
  const authors = doc.authors.flatMap(analyzeName).map(intern);
  const tags: number[] = [];
  for (const cat of new Set(doc.categories.map(categoryTerm))) tags.push(intern(cat));
  for (const kind of new Set(doc.features ?? [])) tags.push(intern(featureTerm(kind)));
  return { id: doc.id, date: dateKey(doc.date), fields: [title, abstract, authors], tags };
}
