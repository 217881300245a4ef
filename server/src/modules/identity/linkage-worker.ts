import { parentPort } from 'node:worker_threads';
import type { LinkRequest, LinkResponse } from './linkage-pool.ts';
import { type LinkCandidate, resolveJob, scoreLinkTask } from './linkage-scoring.ts';
import { lookupKeys } from './lookup-keys.ts';

/*
 * One linkage worker: keys its share of the records (parsing their names into this thread's caches),
 * then compares the records it keyed with their candidates. List ↔ list, the right list arrives once
 * and candidates are named by position in it.
 */

let right: LinkCandidate[] = [];

function answer(request: LinkRequest): LinkResponse {
  switch (request.kind) {
    case 'right':
      right = request.right;
      return {
        id: request.id,
        kind: 'keys',
        keys: right.slice(request.from, request.to).map((r) => lookupKeys(r.evidence.names)),
      };
    case 'keys':
      return { id: request.id, kind: 'keys', keys: request.evidences.map((e) => lookupKeys(e.names)) };
    case 'score':
      return {
        id: request.id,
        kind: 'score',
        pairs: request.jobs.map((job) => scoreLinkTask(resolveJob(job, right), request.scoring)),
      };
  }
}

parentPort?.on('message', (request: LinkRequest) => {
  let response: LinkResponse;
  try {
    response = answer(request);
  } catch (error) {
    response = {
      id: request.id,
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(response);
});
