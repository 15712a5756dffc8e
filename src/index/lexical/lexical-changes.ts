// What a lexical index changed since it read its snapshot file, and those changes made again on another index
// opened from the file (a worker thread that writes the file anew, away from the serving thread).
import { AppError } from '../../errors.ts';
import type { AnalyzedDoc } from './analyzed-doc.ts';
import type { LexicalIndex } from './lexical-index.ts';

/**
 * What an index changed since it read its `splitFile` (`LexicalIndex.changesSinceFile`): enough for another thread
 * that opens the file to make the same index (`applyLexicalChanges`) and write it, away from the serving thread.
 */
export interface LexicalChanges {
  readonly file: string;
  /** Documents of the file removed since, by number, in the order removed. */
  readonly removed: readonly number[];
  /** The id of the first term added to the vocabulary since; `terms` are those added, in id order. */
  readonly firstTerm: number;
  readonly terms: readonly string[];
  /** The documents added since and still live, in the order added, analyzed against the vocabulary. */
  readonly added: readonly AnalyzedDoc[];
}

/**
 * Applies `changes` (another index's `changesSinceFile`) to `index`, opened from `changes.file`: the file's papers
 * removed there, its new terms numbered in the same order, its papers added since added in the same order. The
 * index then holds what the other does, numbered the same, and `saveTo` writes the file the other's would.
 * Throws AppError('INTERNAL') when `index` is not that file's (its vocabulary does not end where the terms begin).
 */
export function applyLexicalChanges(index: LexicalIndex, changes: LexicalChanges): void {
  if (index.vocabularySize !== changes.firstTerm)
    throw new AppError(
      'INTERNAL',
      `The lexical changes start at term ${changes.firstTerm}, but the index holds ${index.vocabularySize} terms.`,
    );
  // By id: removing may compact (renumber) a small index on the way.
  const removed = changes.removed.map((d) => index.idAt(d));
  for (const id of removed) index.remove(id);
  changes.terms.forEach((term, i) => {
    const id = index.termId(term);
    if (id !== changes.firstTerm + i)
      throw new AppError(
        'INTERNAL',
        `The lexical term "${term}" got id ${id}, not ${changes.firstTerm + i}.`,
      );
  });
  for (const doc of changes.added) index.addAnalyzed(doc);
}
