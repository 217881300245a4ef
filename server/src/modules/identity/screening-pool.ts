import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PersonComparison, PersonEvidence } from './names/index.ts';
import type { ScreenableEntry, ScreeningResult } from './screening.ts';

/*
 * Screening is pure computation (no I/O), so a large batch is spread over worker threads, one per
 * core: each worker holds its own copy of the list version and screens contiguous slices of the
 * batch; the slices are put back in order, so the results are the same, in the same order, whatever
 * the number of workers (screening.test.ts compares one worker with two).
 */

export interface ScreeningRequest {
  id: number;
  people: PersonEvidence[];
  threshold: number;
}

export interface EncodedResult {
  entryIndex: number;
  nameIndex: number;
  score: number;
  decision: 'match' | 'possible';
  weakAlias: boolean;
  explanation: string[];
  comparison: PersonComparison;
}

export interface ScreeningResponse {
  id: number;
  results: EncodedResult[][];
}

/** Persons per message: small enough to share the work evenly, large enough to amortise the copying. */
const SLICE = 250;

/** Workers worth starting for a batch of this size (spawning one costs about as much as screening a few hundred persons). */
export function defaultScreeningWorkers(people: number): number {
  if (people < 2 * SLICE) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8, Math.ceil(people / SLICE)));
}

export class ScreeningPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;
  private readonly pending = new Map<number, (response: ScreeningResponse) => void>();
  private failure: Error | undefined;

  constructor(
    private readonly entries: readonly ScreenableEntry[],
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./screening-worker.mjs', import.meta.url), {
        workerData: { entries },
        execArgv: [],
      });
      worker.on('message', (response: ScreeningResponse) => {
        const resolve = this.pending.get(response.id);
        this.pending.delete(response.id);
        resolve?.(response);
      });
      worker.on('error', (error) => {
        this.failure = error;
        for (const resolve of this.pending.values()) resolve({ id: -1, results: [] });
        this.pending.clear();
      });
      // An idle pool must not keep the process alive; a busy one must (see screen()).
      worker.unref();
      this.workers.push(worker);
    }
  }

  private send(worker: Worker, people: PersonEvidence[], threshold: number): Promise<ScreeningResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const request: ScreeningRequest = { id, people, threshold };
      worker.postMessage(request);
    });
  }

  /** Screens the batch; results[i] belongs to people[i]. */
  async screen(people: readonly PersonEvidence[], threshold: number): Promise<ScreeningResult[][]> {
    if (this.failure !== undefined) throw this.failure;
    const slices: PersonEvidence[][] = [];
    for (let i = 0; i < people.length; i += SLICE) slices.push(people.slice(i, i + SLICE));
    const out: ScreeningResult[][] = new Array(people.length);
    let next = 0;
    // Each worker takes the next slice when it is done with its last one.
    const drain = async (worker: Worker): Promise<void> => {
      while (next < slices.length) {
        const index = next++;
        const response = await this.send(worker, slices[index] as PersonEvidence[], threshold);
        if (this.failure !== undefined) throw this.failure;
        response.results.forEach((results, k) => {
          out[index * SLICE + k] = results.map((r) => this.decode(r));
        });
      }
    };
    for (const w of this.workers) w.ref();
    try {
      await Promise.all(this.workers.map(drain));
    } finally {
      for (const w of this.workers) w.unref();
    }
    return out;
  }

  private decode(r: EncodedResult): ScreeningResult {
    const entry = this.entries[r.entryIndex] as ScreenableEntry;
    const matchedName = entry.names[r.nameIndex] ?? (entry.names[0] as ScreenableEntry['names'][number]);
    return {
      entry,
      score: r.score,
      decision: r.decision,
      matchedName,
      weakAlias: r.weakAlias,
      explanation: r.explanation,
      comparison: r.comparison,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
