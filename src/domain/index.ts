// Domain types re-exported for convenience.
export * from './paper.ts';
export * from './scored.ts';
export * from './record.ts';
export * from './ingest-run.ts';
export * from './paper-merge.ts';
export * from './match-keys.ts';
