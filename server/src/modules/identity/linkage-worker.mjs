// Entry point of a linkage worker thread (linkage-pool.ts). Homeward runs TypeScript through tsx's
// loader, and a worker thread does not inherit a loader registered in code, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./linkage-worker.ts');
