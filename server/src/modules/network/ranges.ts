import { formatIpAddress, type IpAddress } from './address.js';
import { NetworkConfigError } from './errors.js';

/**
 * Sorted, disjoint address ranges per family in typed arrays, looked up by binary search: a few hundred
 * thousand GeoIP networks cost 12 bytes per IPv4 range and 36 per IPv6 range, and a lookup is
 * some twenty number comparisons.
 */
export interface RangeTable<T> {
  lookup(address: IpAddress): T | undefined;
  /** Number of disjoint ranges after merging. */
  readonly size: number;
}

export interface RangeInput {
  readonly family: 4 | 6;
  readonly first: readonly number[];
  readonly last: readonly number[];
}

/**
 * `merge`: overlapping ranges are united (membership lists, where 10.0.0.0/8 and 10.1.0.0/16 may both
 * be listed); only sensible with one value. `reject`: an overlap is a configuration error (GeoIP data,
 * whose networks are disjoint; an overlap means a damaged or mixed-up file).
 */
export type OverlapMode = 'merge' | 'reject';

export interface RangeTableBuilder<T> {
  add(range: RangeInput, value: T): void;
  /** Once: building releases the collected input. */
  build(): RangeTable<T>;
}

export function createRangeTableBuilder<T>(overlap: OverlapMode): RangeTableBuilder<T> {
  const families = { 4: new FamilyBuilder(1), 6: new FamilyBuilder(4) };
  const values: T[] = [];
  const valueIndex = new Map<T, number>();
  return {
    add(range, value) {
      let index = valueIndex.get(value);
      if (index === undefined) {
        index = values.length;
        values.push(value);
        valueIndex.set(value, index);
      }
      families[range.family].add(range.first, range.last, index);
    },
    build() {
      return rangeTable(families[4].build(overlap), families[6].build(overlap), [...values]);
    },
  };
}

// Outside the builder's scope, so that the lookup closure keeps only the typed arrays alive and not
// the builder's working arrays.
function rangeTable<T>(v4: FamilyRanges, v6: FamilyRanges, values: readonly T[]): RangeTable<T> {
  return {
    size: v4.size + v6.size,
    lookup(address) {
      const index = (address.family === 4 ? v4 : v6).find(address.words);
      return index < 0 ? undefined : values[index];
    },
  };
}

class FamilyBuilder {
  private readonly firsts: number[] = [];
  private readonly lasts: number[] = [];
  private readonly values: number[] = [];

  constructor(private readonly width: 1 | 4) {}

  add(first: readonly number[], last: readonly number[], value: number): void {
    for (let k = 0; k < this.width; k += 1) {
      this.firsts.push(first[k] ?? 0);
      this.lasts.push(last[k] ?? 0);
    }
    this.values.push(value);
  }

  build(overlap: OverlapMode): FamilyRanges {
    const { width, firsts, lasts, values } = this;
    const count = values.length;
    let order: number[] | undefined;
    // GeoIP files come sorted; sorting is only paid for when the input is not.
    for (let i = 1; i < count; i += 1) {
      if (compare(firsts, (i - 1) * width, firsts, i * width, width) > 0) {
        order = Array.from({ length: count }, (_, j) => j);
        // Wider range first on equal starts, so that merging sees the enclosing range before its parts.
        order.sort((a, b) => compare(firsts, a * width, firsts, b * width, width) || compare(lasts, b * width, lasts, a * width, width));
        break;
      }
    }
    const outFirsts: number[] = [];
    const outLasts: number[] = [];
    const outValues: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const source = order === undefined ? i : (order[i] ?? 0);
      const at = source * width;
      const previous = outValues.length - 1;
      if (previous >= 0 && compare(firsts, at, outLasts, previous * width, width) <= 0) {
        if (overlap === 'reject') {
          throw new NetworkConfigError(
            `overlapping networks ${this.describe(outFirsts, outLasts, previous * width)} and ${this.describe(firsts, lasts, at)}`,
          );
        }
        if (compare(lasts, at, outLasts, previous * width, width) > 0) {
          for (let k = 0; k < width; k += 1) outLasts[previous * width + k] = lasts[at + k] ?? 0;
        }
        continue;
      }
      for (let k = 0; k < width; k += 1) {
        outFirsts.push(firsts[at + k] ?? 0);
        outLasts.push(lasts[at + k] ?? 0);
      }
      outValues.push(values[source] ?? 0);
    }
    // The working arrays take several times the memory of the result; a builder is used once.
    firsts.length = 0;
    lasts.length = 0;
    values.length = 0;
    return new FamilyRanges(width, Uint32Array.from(outFirsts), Uint32Array.from(outLasts), Uint32Array.from(outValues));
  }

  private describe(firsts: readonly number[], lasts: readonly number[], at: number): string {
    const family = this.width === 1 ? 4 : 6;
    return `${formatIpAddress({ family, words: firsts.slice(at, at + this.width) })}-${formatIpAddress({ family, words: lasts.slice(at, at + this.width) })}`;
  }
}

class FamilyRanges {
  constructor(
    private readonly width: 1 | 4,
    private readonly firsts: Uint32Array,
    private readonly lasts: Uint32Array,
    private readonly values: Uint32Array,
  ) {}

  get size(): number {
    return this.values.length;
  }

  /** Value index of the range holding the address, or -1. */
  find(words: readonly number[]): number {
    const { width, firsts, lasts } = this;
    let lo = 0;
    let hi = this.values.length - 1;
    let candidate = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(firsts, mid * width, words, 0, width) <= 0) {
        candidate = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (candidate < 0 || compare(lasts, candidate * width, words, 0, width) < 0) return -1;
    return this.values[candidate] ?? -1;
  }
}

function compare(a: ArrayLike<number>, aAt: number, b: ArrayLike<number>, bAt: number, width: number): number {
  for (let k = 0; k < width; k += 1) {
    const x = a[aAt + k] ?? 0;
    const y = b[bAt + k] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
