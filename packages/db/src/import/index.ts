/** Import of department exports (CSV/XLSX) and pushed events: the public API of this folder. */
export { importFile, importMemoryLimitMb, defaultRejectsPath, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, type ImportFileOptions, type ImportProgress, type ImportSummary } from './import-file.ts';
export { getImportRun, listImportRuns, type ImportRun } from './import-log.ts';
export { createPushService, pushBodySchema, pushEventSchema, MAX_PUSH_BATCH, IDEMPOTENCY_KEY_PATTERN, type PushService, type PushRequest, type PushResponse, type PushItemError } from './push-events.ts';
export { IMPORT_FIELDS, DEFAULT_HEADERS, readMappingFile, templateHeaders, isSource, type ImportField, type MappingFile } from './fields.ts';
export { CRS_NAMES, type CrsName } from './locate.ts';
export { CSV_ENCODINGS, sheetFormatOf, type CsvEncoding } from './readers.ts';
export { writeImportTemplate } from './templates.ts';
