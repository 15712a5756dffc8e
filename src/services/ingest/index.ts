// Public face of src/services/ingest/: what the rest of the program may use.
export { harvestStatus, type HarvestStatus, startHarvestScheduler } from './harvest-scheduler.ts';
export { createHarvestService, type HarvestService } from './harvest-service.ts';
export { createImportService, type ImportService } from './import-service.ts';
export { type IngestSummary } from './ingest-service.ts';
export { type LibraryFormat, type ParsedLibrary, parseLibrary } from './library-import.ts';
export { readLibraryInWorker } from './library-parse-in-worker.ts';
