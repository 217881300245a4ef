/**
 * A small, fast, seedable PRNG (sfc32, seeded through splitmix32) so the synthetic population is
 * reproducible: the same seed gives the same people on every machine and Node version.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds from any number of integers (e.g. the population seed and a family index). */
  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    for (const s of seeds) {
      // Fold in both 32-bit halves so seeds above 2^32 still differ.
      h = splitmix32(h ^ (s >>> 0));
      h = splitmix32(h ^ (Math.floor(s / 0x1_0000_0000) >>> 0));
    }
    this.#a = splitmix32(h);
    this.#b = splitmix32(this.#a ^ 0x85ebca6b);
    this.#c = splitmix32(this.#b ^ 0xc2b2ae35);
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a key of a weight table, proportionally to its weight. */
  weighted<K extends string | number>(weights: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of weights) total += w;
    let r = this.next() * total;
    for (const [key, w] of weights) {
      r -= w;
      if (r < 0) return key;
    }
    const last = weights[weights.length - 1];
    if (!last) throw new Error('weighted pick from an empty table');
    return last[0];
  }

  /** A version-4-shaped UUID drawn from this generator (deterministic, not cryptographic). */
  uuid(): string {
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    const b4 = (b & 0xffff0fff) | 0x00004000;
    const c4 = (c & 0x3fffffff) | 0x80000000;
    const head = `${hex16(a >>> 16)}${hex16(a)}-${hex16(b4 >>> 16)}-${hex16(b4)}`;
    return `${head}-${hex16(c4 >>> 16)}-${hex16(c4)}${hex16(d >>> 16)}${hex16(d)}`;
  }
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The low 16 bits as four hex digits (a table lookup: ids are drawn millions of times). */
function hex16(n: number): string {
  return (BYTE_HEX[(n >>> 8) & 0xff] as string) + (BYTE_HEX[n & 0xff] as string);
}
