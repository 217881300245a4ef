import { Worker } from 'node:worker_threads';
import type { LinkPair, LinkScoring, LinkTask } from './linkage-scoring.ts';

/*
 * Batch linkage's comparisons are pure computation, so a large batch is spread over worker threads,
 * one per core, while the calling thread blocks the next records (list ↔ list) or loads their
 * candidates from the database (list ↔ registry). Each record goes to a worker chosen by its best
 * candidate, and its pairs are put back at its position, so the pairs are the same, in the same
 * order, whatever the number of workers (linkage.test.ts compares one worker with two).
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
 * Workers a linkage starts unless told otherwise: one, i.e. none — measured on this 2-core machine
 * (docs/PERFORMANCE.md, Identity, run 4), workers cost more than they gave: each starts in about a
 * second of CPU (loading the engine) and must parse again every name the calling thread already
 * parsed to compute the blocking keys, and on one thread those parses are shared. Pass `workers`
 * to use them (the pairs are identical); a worker-side blocking step is what would make them pay.
 */
export function defaultLinkageWorkers(_records: number): number {
  return 1;
}

/** A number that is the same for records whose best candidate is the same person or row. */
function affinity(task: LinkTask): number {
  const id = task.candidates[0]?.rightId ?? task.leftId;
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return h;
}

export class LinkagePool {
  private readonly workers: Worker[] = [];
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
    }
  }

  private send(worker: Worker, tasks: LinkTask[], scoring: LinkScoring): Promise<LinkResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const request: LinkRequest = { id, tasks, scoring };
      worker.postMessage(request);
    });
  }

  /**
   * Scores the batch; result[i] are task i's pairs. A record goes to the worker chosen by its best
   * candidate, so records with the same candidates (namesakes, spellings of one name) meet in one
   * worker whose caches already hold those names: spread at random, every worker would parse and
   * compare every popular name again. A worker takes its records in order, SLICE per message.
   */
  async score(tasks: readonly LinkTask[], scoring: LinkScoring): Promise<LinkPair[][]> {
    if (this.failure !== undefined) throw this.failure;
    const mine: number[][] = this.workers.map(() => []);
    tasks.forEach((task, i) => {
      mine[affinity(task) % this.workers.length]?.push(i);
    });
    const out: LinkPair[][] = new Array(tasks.length);
    const sends: Promise<void>[] = [];
    this.workers.forEach((worker, w) => {
      const indices = mine[w] ?? [];
      for (let k = 0; k < indices.length; k += SLICE) {
        const slice = indices.slice(k, k + SLICE);
        const request = this.send(
          worker,
          slice.map((i) => tasks[i] as LinkTask),
          scoring,
        );
        sends.push(
          request.then((response) => {
            if (this.failure !== undefined) throw this.failure;
            response.pairs.forEach((pairs, j) => {
              out[slice[j] as number] = pairs;
            });
          }),
        );
      }
    });
    for (const w of this.workers) w.ref();
    try {
      await Promise.all(sends);
    } finally {
      for (const w of this.workers) w.unref();
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
