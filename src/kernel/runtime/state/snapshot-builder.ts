import { hashNormalized } from '../key/hash-key.js';
import type { NormalizedKey } from '../key/key-encoding.js';
import type { JsonData } from './json-codec.js';
import type { KeyedSnapshot } from './keyed-snapshot.js';

/**
 * How a snapshot lays out its key-group columns. A large table's columns are allocated before it is copied, a
 * few at a time, each with at least `largeSlots` slots, and cut to the keys they hold once it is: an array of
 * more than 128 KiB is a large object in V8, which a young-generation collection promotes by flipping its page
 * instead of copying it into fresh old-space memory. Columns that grow key by key are copied, and their growth
 * garbage promoted, by every collection that runs while they are built: with a million keys those collections
 * stalled the job for 40–80 ms each. Tests shrink the layout to reach every path with small states.
 *
 * @example
 * ```ts
 * const layout: SnapshotLayout = { presizeFrom: 1, largeSlots: 4 }; // every table preallocated, tiny columns
 * ```
 */
export interface SnapshotLayout {
  /** Keys per key group (table size / maxParallelism) from which a table's columns are preallocated. */
  readonly presizeFrom: number;
  /** Least number of slots of a preallocated column. */
  readonly largeSlots: number;
}

/**
 * Preallocate from 4,096 keys per key group (half a million keys at 128 key groups; below, the columns are
 * small enough that their collections stay short, and preallocation would waste more memory than it saves),
 * with 16,383 slots: the least that V8 (Node 20) allocates as a large object (16,382 fit a regular page).
 */
export const DEFAULT_SNAPSHOT_LAYOUT: SnapshotLayout = { presizeFrom: 4096, largeSlots: 16_383 };

/** A key group's column of one state while it is being filled. */
interface Column {
  keys: JsonData[];
  values: JsonData[];
}

/**
 * Gathers a keyed snapshot table by table, straight into key-group columns: one store per key and value, no
 * allocation per key. A large table's columns are preallocated (see {@link SnapshotLayout}) with
 * {@link SnapshotBuilder.prepare}, which does a bounded amount of work per call so that an asynchronous
 * snapshot can spread it over its slices.
 *
 * @example
 * ```ts
 * const out = new SnapshotBuilder(128, (k) => k as JsonData);
 * out.table('count', counts.size);
 * while (!out.prepare(performance.now() + 4)) {} // in slices, between records
 * for (const [k, v] of counts) out.put(k, v);
 * out.endTable();
 * out.result(); // { "17": { count: { keys: [...], values: [...] } }, ... }
 * ```
 */
export class SnapshotBuilder {
  /** The columns of the table being copied, by key group. */
  private columns: (Column | undefined)[] = [];
  /** Keys stored so far in each column of the table being copied. */
  private readonly filled: Int32Array;
  /** Slots of each preallocated column of the table being copied (0: its columns grow as they fill). */
  private capacity = 0;
  /** Next key group whose columns are to be preallocated. */
  private allocating = 0;
  private name = '';
  private readonly groups: Record<string, Record<string, Column>> = Object.create(null) as Record<
    string,
    Record<string, Column>
  >;
  private any = false;

  constructor(
    private readonly maxParallelism: number,
    private readonly encodeKey: (k: NormalizedKey) => JsonData,
    private readonly layout: SnapshotLayout = DEFAULT_SNAPSHOT_LAYOUT,
  ) {
    this.filled = new Int32Array(maxParallelism);
  }

  /** Starts the table of the state named `name`, which holds `size` keys (its values follow). */
  table(name: string, size: number): void {
    this.name = name;
    this.columns = new Array<Column | undefined>(this.maxParallelism);
    this.filled.fill(0);
    const perGroup = size / this.maxParallelism;
    // A little over the expected share, so that the spread of a uniform hash rarely overflows a column.
    this.capacity =
      perGroup >= this.layout.presizeFrom
        ? Math.max(this.layout.largeSlots, Math.ceil(perGroup * 1.1 + 4 * Math.sqrt(perGroup)))
        : 0;
    this.allocating = this.capacity > 0 ? 0 : this.maxParallelism;
  }

  /**
   * Preallocates the table's columns, one key group after the other, until all are or `until` (a
   * `performance.now()` time) has passed; true once all are. Call it until it returns true before the first
   * `put` of the table (`Infinity` does all at once).
   */
  prepare(until: number): boolean {
    const cap = this.capacity;
    while (this.allocating < this.maxParallelism) {
      this.columns[this.allocating++] = { keys: new Array<JsonData>(cap), values: new Array<JsonData>(cap) };
      if (performance.now() >= until) break;
    }
    return this.allocating === this.maxParallelism;
  }

  /** Adds key `k` (normalized) of the current table with its encoded value. */
  put(k: NormalizedKey, value: JsonData): void {
    const group = hashNormalized(k) % this.maxParallelism;
    let column = this.columns[group];
    if (column === undefined) {
      column = { keys: [], values: [] };
      this.columns[group] = column;
    }
    const i = this.filled[group] as number;
    if (i === 0) {
      const states = (this.groups[String(group)] ??= Object.create(null) as Record<string, Column>);
      states[this.name] = column;
    }
    this.filled[group] = i + 1;
    // Past a preallocated column's capacity (a skewed key group) the array grows as with push.
    column.keys[i] = this.encodeKey(k);
    column.values[i] = value;
    this.any = true;
  }

  /** Ends the current table: its preallocated columns are cut to the keys they hold (in place). */
  endTable(): void {
    if (this.capacity === 0) return;
    for (let g = 0; g < this.maxParallelism; g++) {
      const column = this.columns[g];
      const n = this.filled[g] as number;
      if (column !== undefined && n > 0) {
        column.keys.length = n;
        column.values.length = n;
      }
    }
  }

  /** The snapshot gathered, or undefined when no table held a key. */
  result(): KeyedSnapshot | undefined {
    return this.any ? this.groups : undefined;
  }
}
