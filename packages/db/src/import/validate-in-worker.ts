import { DomainError, type DomainErrorCode } from '@cityops/domain';
import { Worker } from 'node:worker_threads';
import type { ValidatedBatch, ValidateRowsResult } from './validate-rows.ts';
import type { ValidateWorkerData, WorkerMessage } from './validate-worker.ts';
import { StagedCsvBatch } from './write-batch.ts';

const WORKER_URL = new URL('./validate-worker-entry.mjs', import.meta.url);

/**
 * Runs validate-rows.ts in a worker thread over `data.file` and hands each batch to `write`
 * (awaited, in file order; it returns once the batch's write has started). The worker keeps at
 * most MAX_AHEAD batches ready beyond the one being written. Resolves with the worker's summary
 * once every batch was handed over; a failure in the worker (read error, bug) rejects with the
 * same message and DomainError code.
 */
export function validateInWorker(
  data: Omit<ValidateWorkerData, 'units'> & { units: ValidateWorkerData['units'] },
  write: (batch: ValidatedBatch) => Promise<void>,
  onStage?: ((stage: string, ms: number) => void) | undefined,
): Promise<ValidateRowsResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: data satisfies ValidateWorkerData });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    // Messages are handled one at a time, in order: a batch is written only after the previous
    // one's write has started (write awaits it), then the worker gets its credit back.
    let queue = Promise.resolve();
    worker.on('message', (message: WorkerMessage) => {
      queue = queue.then(async () => {
        if (settled) return;
        if (message.type === 'batch') {
          await write({ ...message.batch, rows: StagedCsvBatch.attach(message.batch.rows) });
          worker.postMessage({ type: 'credit' });
        } else if (message.type === 'done') {
          for (const [name, ms] of Object.entries(message.stages)) onStage?.(`worker ${name}`, ms);
          settled = true;
          resolve(message.result);
        } else {
          const { message: text, code, details, stack } = message.error;
          const error = code ? new DomainError(code as DomainErrorCode, text, details as Record<string, unknown> | undefined) : new Error(text);
          if (stack) error.stack = stack;
          fail(error);
        }
      }).catch(fail);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!settled) queue.then(() => fail(new Error(`import worker exited (${code}) before finishing`)), fail);
    });
  });
}
