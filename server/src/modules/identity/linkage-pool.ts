import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LinkPair, LinkScoring, LinkTask } from './linkage-scoring.ts';

/*
 * Batch linkage's comparisons are pure computation, so a large batch is spread over worker threads,
 * one per core, while the calling thread blocks the next records (list ↔ list) or loads their
 * candidates from the database (list ↔ registry). Workers take contiguous slices of a batch; the
 * slices are put back in order, so the pairs are the same, in the same order, whatever the number
 * of workers (identity.test.ts compares one worker with two).
 */

export interface LinkRequest {
  id: number;
  tasks: LinkTask[];
  scoring: LinkScoring;
}

export interface LinkResponse {
  id: number;
  pairs: LinkPair[][];
}

/** Records per message: small enough to share the work evenly, large enough to amortise the copying. */
const SLICE = 100;

/**
 * Workers worth starting for a batch of this many records: starting one (loading the engine in a
 * fresh thread) costs about as much as linking a few hundred records, and an API call stays on its
 * own thread unless its list is large.
 */
export function defaultLinkageWorkers(records: number): number {
  if (records < 1000) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export class LinkagePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private nextId = 0;
  private readonly pending = new Map<number, (response: LinkResponse) => void>();
  private failure: Error | undefined;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./linkage-worker.mjs', import.meta.url), { execArgv: [] });
      worker.on('message', (response: LinkResponse) => {
        const resolve = this.pending.get(response.id);
        this.pending.delete(response.id);
        resolve?.(response);
      });
      worker.on('error', (error) => {
        this.failure = error;
        for (const resolve of this.pending.values()) resolve({ id: -1, pairs: [] });
        this.pending.clear();
      });
      // An idle pool must not keep the process alive; a busy one must (see score()).
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(worker);
    else this.idle.push(worker);
  }

  private async send(tasks: LinkTask[], scoring: LinkScoring): Promise<LinkPair[][]> {
    const worker = await this.acquire();
    worker.ref();
    try {
      const id = this.nextId++;
      const response = await new Promise<LinkResponse>((resolve) => {
        this.pending.set(id, resolve);
        const request: LinkRequest = { id, tasks, scoring };
        worker.postMessage(request);
      });
      if (this.failure !== undefined) throw this.failure;
      return response.pairs;
    } finally {
      worker.unref();
      this.release(worker);
    }
  }

  /**
   * Scores the batch; result[i] are task i's pairs. Several batches may be in flight (the caller
   * prepares the next while this one runs): their slices queue for the next free worker.
   */
  async score(tasks: readonly LinkTask[], scoring: LinkScoring): Promise<LinkPair[][]> {
    if (this.failure !== undefined) throw this.failure;
    const slices: Promise<LinkPair[][]>[] = [];
    for (let i = 0; i < tasks.length; i += SLICE) slices.push(this.send(tasks.slice(i, i + SLICE), scoring));
    return (await Promise.all(slices)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
