import { parentPort } from 'node:worker_threads';
import type { LinkRequest, LinkResponse } from './linkage-pool.ts';
import { scoreLinkTask } from './linkage-scoring.ts';

/* One linkage worker: slices of records with their candidates in, each record's kept pairs out. */

parentPort?.on('message', (request: LinkRequest) => {
  const response: LinkResponse = {
    id: request.id,
    pairs: request.tasks.map((task) => scoreLinkTask(task, request.scoring)),
  };
  parentPort?.postMessage(response);
});
