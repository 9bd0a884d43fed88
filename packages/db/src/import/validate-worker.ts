/**
 * Worker thread of a file import (see validateInWorker): reads and validates the file
 * (validate-rows.ts) and posts each batch of staged rows, as transferred bytes, to the
 * importing thread, which writes them. At most MAX_AHEAD batches wait there: each written
 * batch sends a credit back.
 */
import { DomainError, type Source } from '@cityops/domain';
import { parentPort, workerData } from 'node:worker_threads';
import type { CategoryMap, ImportField } from './fields.ts';
import { UnitLocator, type CrsName, type UnitRow } from './locate.ts';
import { createRowNormalizer } from './normalize-row.ts';
import { openSheet, type CsvEncoding } from './readers.ts';
import { validateRows, type ValidatedBatch, type ValidateRowsResult } from './validate-rows.ts';
import type { DetachedBatch, StagedCsvBatch } from './write-batch.ts';

export interface ValidateWorkerData {
  file: string;
  encoding: CsvEncoding | 'gbk' | undefined;
  source: Source;
  crs: CrsName | undefined;
  salt: string | undefined;
  categories: CategoryMap | undefined;
  units: UnitRow[];
  fieldColumns: Partial<Record<ImportField, number>>;
  rejectsFile: string;
  skipUpTo: number;
  unmappedCategories: Record<string, number>;
  batchSize: number;
  stages: boolean;
}

export type BatchMessage = Omit<ValidatedBatch, 'rows'> & { rows: DetachedBatch };

export type WorkerMessage =
  | { type: 'batch'; batch: BatchMessage }
  | { type: 'done'; result: ValidateRowsResult; stages: Record<string, number> }
  | { type: 'error'; error: { message: string; code?: string | undefined; details?: unknown; stack?: string | undefined } };

/** Batches validated ahead of the one being written. */
export const MAX_AHEAD = 2;

async function run(port: NonNullable<typeof parentPort>, data: ValidateWorkerData): Promise<void> {
  let credits = MAX_AHEAD;
  let creditArrived: (() => void) | undefined;
  port.on('message', (message: { type: 'credit' }) => {
    if (message.type !== 'credit') return;
    credits += 1;
    creditArrived?.();
  });
  const stages = new Map<string, number>();
  const sheet = await openSheet(data.file, { encoding: data.encoding });
  const normalize = createRowNormalizer({ source: data.source, locator: UnitLocator.fromRows(data.units), crs: data.crs, salt: data.salt, categories: data.categories });
  const result = await validateRows(
    {
      sheet, normalize, fieldColumns: data.fieldColumns, rejectsFile: data.rejectsFile, skipUpTo: data.skipUpTo,
      unmappedCategories: data.unmappedCategories, batchSize: data.batchSize,
      onStage: data.stages ? (name, ms) => stages.set(name, (stages.get(name) ?? 0) + ms) : undefined,
    },
    async (batch) => {
      while (credits === 0) await new Promise<void>((resolve) => (creditArrived = resolve));
      credits -= 1;
      // validateRows always gives encoded rows (a relation only comes from the SQL path).
      const rows = (batch.rows as StagedCsvBatch).detach();
      const message: WorkerMessage = { type: 'batch', batch: { ...batch, rows } };
      port.postMessage(message, [rows.buffer]);
    },
  );
  const done: WorkerMessage = { type: 'done', result, stages: Object.fromEntries(stages) };
  port.postMessage(done);
  port.close();
}

if (parentPort) {
  const port = parentPort;
  run(port, workerData as ValidateWorkerData).catch((error: unknown) => {
    const failure = error as Error & { code?: string; details?: unknown };
    const message: WorkerMessage = {
      type: 'error',
      error: { message: failure?.message ?? String(error), code: error instanceof DomainError ? failure.code : undefined, details: error instanceof DomainError ? failure.details : undefined, stack: failure?.stack },
    };
    port.postMessage(message);
    port.close();
  });
}
