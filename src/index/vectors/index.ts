// Public face of the vector index: exact while small, HNSW above a size, saved to a sidecar file.
export { createVectorIndex, type VectorIndex, type VectorIndexOptions } from './vector-index.ts';
export { writeRowsRewrite, type RowsRewrite } from './vector-store.ts';
export { defaultExpansionSearch, type HnswOptions } from './hnsw-graph.ts';
export {
  relayoutGraphFile,
  graphLinkSpan,
  type GraphLayoutOptions,
  type GraphLayoutOutcome,
} from './graph-layout.ts';
