// Paper enrichment's public face: links (code, data, model, project, video) and extractive summaries.
export { enrichPaper, enrichedJson, linkKinds, type PaperEnrichment } from './paper-enrichment.ts';
export type { PaperLink, PaperLinkKind } from '../../ingest/paper-links.ts';
export type { PaperSummary } from '../../rank/extractive-summary.ts';
export { createEnrichServices, type EnrichServices, type JobRun } from './enrich-services.ts';
export { clearEnrichmentOverlay, enrichmentOverlay, reloadEnrichmentOverlay } from './enrichment-overlay.ts';
export { githubRepoOf } from './github-repo.ts';
export { renderFirstPage } from './pdf-thumbnail.ts';
