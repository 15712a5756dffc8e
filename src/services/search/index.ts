// Public face of src/services/search/: what the rest of the program may use.
export { withEmbedLease } from './embed-lease.ts';
export { startEmbedLoop } from './embed-scheduler.ts';
export { SearchIndexes, type RebuildStep, type RebuildStepHook } from './search-indexes.ts';
export type { GraphLayoutOutcome } from '../../index/vectors/index.ts';
export { LOOKUP_FILE } from './lookup-tables.ts';
export { currentSnapshot, seedSnapshot } from './snapshot-folder.ts';
export { analyzedPagesInWorker } from './lexical-analyze-in-worker.ts';
export { followVectorsInWorker, type VectorSnapshotFollower } from './vector-snapshot-in-worker.ts';
export { type LookupFileInWorker, type LookupFileWritten } from './lookup-file-in-worker.ts';
export {
  createSearchService,
  type SearchHit,
  type SearchMode,
  type SearchRequest,
  type SearchResult,
  type SearchService,
} from './search-service.ts';
export { createSemanticService, DEFAULT_TRAIN_PAIRS, type SemanticService } from './semantic-service.ts';
export { type AutoTrain, type AutoTrainDeps, createAutoTrain } from './auto-train.ts';
export { createTrainingProgress } from './training-progress.ts';
