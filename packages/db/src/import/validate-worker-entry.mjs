// Entry of the import's worker thread (validate-in-worker.ts): a worker does not inherit the
// TypeScript loader of the process (tsx), so it registers tsx's loader, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./validate-worker.ts');
