const memos: NameMemo<unknown, unknown>[] = [];

/** Empties every memo of this thread, so that a benchmark can time a batch from a cold start. */
export function clearNameMemos(): void {
  for (const m of memos) m.clear();
}

/**
 * A bounded memo for values derived from a string (a name's analysis, its keys) or from a memoised
 * object (a token's or an analysis's comparisons: plain maps, as WeakMaps cost the collector dearly). Two generations:
 * when the current one is full it becomes the old one, and a hit in the old one is carried over — so
 * names that keep coming back stay cached however long the batch, and memory stays bounded (at most
 * twice the limit). Clearing a single map when full, as before, dropped every name at once and made
 * batches larger than the limit recompute nearly everything.
 */
export class NameMemo<V, K = string> {
  private current = new Map<K, V>();
  private old = new Map<K, V>();
  constructor(private readonly limit: number) {
    memos.push(this as NameMemo<unknown, unknown>);
  }
  clear(): void {
    this.current = new Map();
    this.old = new Map();
  }
  get(key: K): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const older = this.old.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }
  set(key: K, value: V): void {
    if (this.current.size >= this.limit) {
      this.old = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
