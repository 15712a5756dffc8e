// Domain types re-exported for convenience.
export * from './paper.ts';
export * from './scored.ts';
export * from './record.ts';
export * from './ingest-run.ts';
export * from './paper-merge.ts';
export * from './paper-match.ts';
export * from './match-keys.ts';
export * from './account.ts';
export * from './library.ts';
export * from './citation.ts';
export * from './date-window.ts';
export * from './links.ts';
export * from './mail-address.ts';
export * from './latex-text.ts';
export * from './category-kind.ts';
export * from './collection.ts';
