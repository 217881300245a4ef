// Entry point of a screening worker thread (screening-pool.ts). Homeward runs TypeScript through
// tsx's loader, and a worker thread does not inherit a loader registered in code, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./screening-worker.ts');
