// Paper enrichment's public face: links (code, data, model, project, video) and extractive summaries.
export { enrichPaper, enrichedJson, linkKinds, type PaperEnrichment } from './paper-enrichment.ts';
export type { PaperLink, PaperLinkKind } from '../../ingest/paper-links.ts';
export type { PaperSummary } from '../../rank/extractive-summary.ts';
