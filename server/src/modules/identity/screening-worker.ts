import { parentPort, workerData } from 'node:worker_threads';
import type { PersonEvidence } from './names/index.ts';
import { type ScreenableEntry, WatchlistMatcher } from './screening.ts';
import type { ScreeningRequest, ScreeningResponse } from './screening-pool.ts';

/*
 * One screening worker: the list version arrives once (workerData), then batches of persons; each
 * result names its entry and matched name by position, so the caller gets back its own objects.
 */

const entries = (workerData as { entries: ScreenableEntry[] }).entries;
const matcher = new WatchlistMatcher(entries);
const position = new Map(entries.map((e, i) => [e, i]));

parentPort?.on('message', (request: ScreeningRequest) => {
  const results = request.people.map((person: PersonEvidence) =>
    matcher.screen(person, request.threshold).map((r) => {
      return {
        entryIndex: position.get(r.entry) ?? -1,
        nameIndex: r.entry.names.indexOf(r.matchedName),
        score: r.score,
        decision: r.decision,
        weakAlias: r.weakAlias,
        explanation: r.explanation,
        comparison: r.comparison,
      };
    }),
  );
  const response: ScreeningResponse = { id: request.id, results };
  parentPort?.postMessage(response);
});
