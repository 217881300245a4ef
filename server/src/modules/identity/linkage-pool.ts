import { Worker } from 'node:worker_threads';
import type { LinkCandidate, LinkJob, LinkPair, LinkScoring } from './linkage-scoring.ts';
import type { LookupKeys } from './lookup-keys.ts';
import type { PersonEvidence } from './names/index.ts';

/*
 * Batch linkage on worker threads. Parsing a name is most of the cost of both its blocking keys and
 * its comparisons, and a parse is only reused in the thread that made it, so the workers do both:
 * each computes the keys of its share of the records (and, list ↔ list, of the right list) and later
 * compares the records it keyed, with their names already parsed in its caches. The calling thread
 * only merges the keys, ranks candidates and, against the registry, runs the queries. Records are
 * dealt in slices, in order, and the pairs come back at the records' positions, so the pairs are the
 * same, in the same order, whatever the number of workers (linkage.test.ts compares one with two).
 */

export type LinkRequest =
  | { id: number; kind: 'right'; right: LinkCandidate[]; from: number; to: number }
  | { id: number; kind: 'keys'; evidences: PersonEvidence[] }
  | { id: number; kind: 'score'; jobs: LinkJob[]; scoring: LinkScoring };

export type LinkResponse =
  | { id: number; kind: 'keys'; keys: LookupKeys[] }
  | { id: number; kind: 'score'; pairs: LinkPair[][] }
  | { id: number; kind: 'failed'; message: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Records per message: small enough to share the work evenly, large enough to amortise the copying. */
const SLICE = 100;

/**
 * Workers a linkage starts unless told otherwise: one, i.e. none. Measured on this 2-core machine
 * (docs/PERFORMANCE.md, Identity, run 5), workers still cost more than they give, even now that each
 * keys and compares its own records (every name parsed once): a worker starts in ≈ 0.4–0.8 s of CPU,
 * each keeps its own caches of parsed names and token comparisons (a candidate keyed by another worker
 * is parsed again), and against the registry the database, not the comparisons, sets the pace. Pass
 * `workers` to use them (the pairs are identical); a machine with more cores may gain.
 */
export function defaultLinkageWorkers(_records: number): number {
  return 1;
}

/** Records per message for a batch of this size: even a small batch is shared by every worker. */
function sliceOf(records: number, workers: number): number {
  return Math.max(1, Math.min(SLICE, Math.ceil(records / workers)));
}

export class LinkagePool {
  private readonly workers: Worker[] = [];
  private nextId = 0;
  private readonly pending = new Map<number, (response: LinkResponse) => void>();
  private failure: Error | undefined;
  private busy = 0;

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
        for (const resolve of this.pending.values())
          resolve({ id: -1, kind: 'failed', message: error.message });
        this.pending.clear();
      });
      // An idle pool must not keep the process alive; a busy one must (see request()).
      worker.unref();
      this.workers.push(worker);
    }
  }

  private async request<K extends LinkResponse['kind']>(
    worker: number,
    body: WithoutId<LinkRequest>,
    kind: K,
  ): Promise<Extract<LinkResponse, { kind: K }>> {
    if (this.failure !== undefined) throw this.failure;
    const target = this.workers[worker] as Worker;
    const id = this.nextId++;
    if (this.busy++ === 0) for (const w of this.workers) w.ref();
    try {
      const response = await new Promise<LinkResponse>((resolve) => {
        this.pending.set(id, resolve);
        target.postMessage({ ...body, id });
      });
      if (this.failure !== undefined) throw this.failure;
      if (response.kind === 'failed') throw new Error(response.message);
      if (response.kind !== kind) throw new Error(`linkage worker answered ${response.kind}, not ${kind}`);
      return response as Extract<LinkResponse, { kind: K }>;
    } finally {
      if (--this.busy === 0) for (const w of this.workers) w.unref();
    }
  }

  /**
   * Gives every worker the right-hand list (compared by position later) and returns its records'
   * keys: each worker keys one contiguous share, which its caches then hold parsed.
   */
  async setRight(right: readonly LinkCandidate[]): Promise<LookupKeys[]> {
    const share = Math.ceil(right.length / this.size);
    const parts = await Promise.all(
      this.workers.map((_, w) =>
        this.request(
          w,
          {
            kind: 'right',
            right: right as LinkCandidate[],
            from: Math.min(right.length, w * share),
            to: Math.min(right.length, (w + 1) * share),
          },
          'keys',
        ),
      ),
    );
    return parts.flatMap((p) => p.keys);
  }

  /**
   * The blocking keys of a batch's records, dealt to the workers in slices, in turn; score() deals a
   * batch of the same length the same way, so each record is compared where it was keyed.
   */
  async keys(evidences: readonly PersonEvidence[]): Promise<LookupKeys[]> {
    const out: LookupKeys[] = new Array(evidences.length);
    const requests: Promise<void>[] = [];
    const size = sliceOf(evidences.length, this.size);
    for (let start = 0, w = 0; start < evidences.length; start += size, w = (w + 1) % this.size) {
      const slice = evidences.slice(start, start + size);
      requests.push(
        this.request(w, { kind: 'keys', evidences: slice }, 'keys').then((r) => {
          r.keys.forEach((k, j) => {
            out[start + j] = k;
          });
        }),
      );
    }
    await Promise.all(requests);
    return out;
  }

  /** Compares a batch; result[i] are job i's pairs, computed by the worker that keyed record i. */
  async score(jobs: readonly LinkJob[], scoring: LinkScoring): Promise<LinkPair[][]> {
    const out: LinkPair[][] = new Array(jobs.length);
    const requests: Promise<void>[] = [];
    const size = sliceOf(jobs.length, this.size);
    for (let start = 0, w = 0; start < jobs.length; start += size, w = (w + 1) % this.size) {
      const slice = jobs.slice(start, start + size);
      requests.push(
        this.request(w, { kind: 'score', jobs: slice, scoring }, 'score').then((r) => {
          r.pairs.forEach((pairs, j) => {
            out[start + j] = pairs;
          });
        }),
      );
    }
    await Promise.all(requests);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
