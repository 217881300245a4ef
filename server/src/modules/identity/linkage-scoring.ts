import {
  bestNamePair,
  cannotReach,
  comparePersons,
  type PersonComparison,
  type PersonEvidence,
} from './names/index.ts';
import { compareWithRegistry } from './registry-comparison.ts';

/*
 * The CPU-bound half of batch linkage: one record against the candidates its keys found. Pure (no
 * I/O), so linkage.ts runs it in the calling thread or in worker threads (linkage-pool.ts), with the
 * same result either way.
 */

export interface LinkPair {
  leftId: string;
  rightId: string;
  score: number;
  decision: 'match' | 'possible';
  explanation: string;
}

/** A right-hand record (a list row or a registry person) to compare one left record with. */
export interface LinkCandidate {
  rightId: string;
  evidence: PersonEvidence;
}

/** One left record and its candidates, in ranking order. */
export interface LinkTask {
  leftId: string;
  evidence: PersonEvidence;
  candidates: LinkCandidate[];
}

/**
 * A task as handed to a comparing thread: list ↔ list, a candidate is its position in the right list
 * the thread already holds (so the list is copied to a worker once, not once per candidate).
 */
export interface LinkJob {
  leftId: string;
  evidence: PersonEvidence;
  candidates: (LinkCandidate | number)[];
}

/** The job's task, positions replaced by the right list's records. */
export function resolveJob(job: LinkJob, right: readonly LinkCandidate[]): LinkTask {
  return {
    leftId: job.leftId,
    evidence: job.evidence,
    candidates: job.candidates.map((c) => {
      if (typeof c !== 'number') return c;
      const candidate = right[c];
      if (candidate === undefined) throw new Error(`no right record at position ${c}`);
      return candidate;
    }),
  };
}

export interface LinkScoring {
  threshold: number;
  perRecord: number;
  /** Registry persons carry every variant of their parents' names: compare with the closest. */
  registry: boolean;
}

/** One line for a CSV cell: the decision, then the evidence, joined with '; '. */
export function explainInOneLine(c: PersonComparison): string {
  return c.explanation.map((l) => l.trim()).join('; ');
}

/** The record's pairs scoring at least the threshold, best first, at most perRecord of them. */
export function scoreLinkTask(task: LinkTask, scoring: LinkScoring): LinkPair[] {
  const scored: { rightId: string; comparison: PersonComparison }[] = [];
  for (const candidate of task.candidates) {
    // Pairs whose names alone cannot reach the threshold would be dropped below: skip the rest.
    const names = bestNamePair(task.evidence, candidate.evidence);
    if (cannotReach(names, scoring.threshold)) continue;
    const comparison = scoring.registry
      ? compareWithRegistry(task.evidence, candidate.evidence, names)
      : comparePersons(task.evidence, candidate.evidence, names);
    if (comparison.decision === 'no_match' || comparison.score < scoring.threshold) continue;
    scored.push({ rightId: candidate.rightId, comparison });
  }
  return scored
    .sort((a, b) => b.comparison.score - a.comparison.score || (a.rightId < b.rightId ? -1 : 1))
    .slice(0, scoring.perRecord)
    .map((s) => ({
      leftId: task.leftId,
      rightId: s.rightId,
      score: Math.round(s.comparison.score * 1000) / 1000,
      decision: s.comparison.decision === 'match' ? 'match' : 'possible',
      explanation: explainInOneLine(s.comparison),
    }));
}
