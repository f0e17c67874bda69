import { StateAccessError } from '../../../errors/state-access-error.js';
import { hashNormalized } from '../key/hash-key.js';
import { normalizeKey, type NormalizedKey } from '../key/key-encoding.js';
import type { SchedulerLike } from 'rxjs';
import type { CallContext } from '../step.js';
import { decodeJson, encodeJson, type JsonData } from './json-codec.js';
import type { KeyedSnapshot } from './keyed-snapshot.js';
import { SnapshotBuilder, type SnapshotLayout } from './snapshot-builder.js';
import { savedColumn, savedKey } from './saved-column.js';

/** What a keyed state store needs to know about its operator instance. */
export interface KeyedStoreInit {
  /** The running call of the operator: its key scopes every access. */
  readonly call: CallContext;
  /** True when the operator's input is hash-keyed; otherwise every access throws StateAccessError. */
  readonly keyed: boolean;
  /** Operator name, for messages. */
  readonly operator: string;
  /** Number of key groups. */
  readonly maxParallelism: number;
  /** How snapshots lay out their columns (default: DEFAULT_SNAPSHOT_LAYOUT; tests shrink it). */
  readonly snapshotLayout?: SnapshotLayout;
}

/**
 * The managed keyed state of one operator instance: one `Map` per named state, from the normalized key of the
 * running call to its value. Every access is a `Map` lookup (O(1)); values are kept exactly as given (never
 * copied, never frozen); a snapshot copies them, by key group.
 *
 * @example
 * ```ts
 * const store = new KeyedStateStore({ call, keyed: true, operator: 'count', maxParallelism: 128 });
 * const counts = store.table('count');
 * counts.set(store.currentKey(), 1);
 * ```
 */
export class KeyedStateStore {
  /**
   * While an asynchronous snapshot is being copied: the value every touched key had when it began (encoded),
   * or ABSENT, per state name (copy-on-write). Undefined otherwise: then writes cost nothing extra.
   */
  copying: Map<string, Map<NormalizedKey, JsonData | typeof ABSENT>> | undefined = undefined;
  private readonly tables = new Map<string, Map<NormalizedKey, unknown>>();
  /** The original key of every structured key (a Date, an array, a plain object) that holds state. */
  private readonly originals = new Map<NormalizedKey, unknown>();
  private readonly call: CallContext;
  /** The last key normalized, and its normalized form (most calls read and write the same key). */
  private lastKey: unknown = NO_KEY;
  private lastNormalized: NormalizedKey = undefined;

  /** Whether the input is hash-keyed (else every state access throws StateAccessError). */
  private readonly keyed: boolean;

  constructor(private readonly init: KeyedStoreInit) {
    this.call = init.call;
    this.keyed = init.keyed;
  }

  /** The table of the state named `name` (created empty on first use). */
  table(name: string): Map<NormalizedKey, unknown> {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  /** The normalized key of the running call; throws StateAccessError on an unkeyed input. */
  currentKey(): NormalizedKey {
    const key = this.call.key;
    // A number is its own normalized form (−0 as 0, which `+ 0` gives): no lookup, nothing remembered.
    if (typeof key === 'number' && this.keyed) return key + 0;
    return key === this.lastKey ? this.lastNormalized : this.normalizeNew(key);
  }

  /** A key other than the last one: normalized and remembered (never on an unkeyed input: that throws). */
  private normalizeNew(key: unknown): NormalizedKey {
    if (!this.init.keyed) {
      throw new StateAccessError(
        `${this.init.operator}: ctx.state needs a hash-keyed input: call keyBy(...) before this operator`,
      );
    }
    const n = normalizeKey(key);
    if (typeof key === 'object' && key !== null && !this.originals.has(n)) this.originals.set(n, key);
    this.lastKey = key;
    this.lastNormalized = n;
    return n;
  }

  /** Every key that holds state in this instance (original values), in no particular order. */
  keys(): unknown[] {
    const seen = new Set<NormalizedKey>();
    for (const t of this.tables.values()) for (const k of t.keys()) seen.add(k);
    return [...seen].map((k) => this.original(k));
  }

  /**
   * Saves the value key `k` of state `name` has now, before it is changed (or handed out, when it is an object
   * the caller may change in place), while an asynchronous snapshot is being copied.
   */
  preserve(name: string, table: Map<NormalizedKey, unknown>, k: NormalizedKey): void {
    const copying = this.copying;
    if (copying === undefined) return;
    let log = copying.get(name);
    if (log === undefined) {
      log = new Map();
      copying.set(name, log);
    }
    if (log.has(k)) return;
    log.set(k, table.has(k) ? encodeValue(table.get(k)) : ABSENT);
  }

  /** A deep copy of every key's state as JSON-compatible data, by key group, taken at once. */
  snapshot(): KeyedSnapshot | undefined {
    const out = this.builder();
    for (const [name, t] of this.tables) {
      out.table(name, t.size);
      out.prepare(Infinity);
      for (const [k, v] of t) out.put(k, encodeValue(v));
      out.endTable();
    }
    return out.result();
  }

  private builder(): SnapshotBuilder {
    return new SnapshotBuilder(this.init.maxParallelism, (k) => this.encodeKey(k), this.init.snapshotLayout);
  }

  private encodeKey(k: NormalizedKey): JsonData {
    if (typeof k === 'string' && k.charCodeAt(0) !== 0) return k;
    return encodeValue(this.original(k));
  }

  /**
   * The same copy, taken without stalling the job: the state is copied a slice at a time (a few milliseconds
   * each) on `scheduler` while records go on changing it; a value changed meanwhile is saved, as it was when
   * the snapshot began, just before its first change (copy-on-write), so the result is the state at the moment
   * of this call. Small states are copied at once.
   */
  snapshotAsync(
    scheduler: SchedulerLike,
    chunk = 20_000,
  ): KeyedSnapshot | undefined | Promise<KeyedSnapshot | undefined> {
    let size = 0;
    for (const t of this.tables.values()) size += t.size;
    if (size <= chunk || this.copying !== undefined) return this.snapshot();
    const copying = new Map<string, Map<NormalizedKey, JsonData | typeof ABSENT>>();
    this.copying = copying;
    const tables = [...this.tables];
    const out = this.builder();
    return new Promise((resolve) => {
      let index = 0;
      let [name, table] = tables[0] as [string, Map<NormalizedKey, unknown>];
      let entries = table.entries();
      let log = copying.get(name);
      out.table(name, table.size);
      const step = (): void => {
        const until = performance.now() + SLICE_MS;
        let budget = 0;
        while (index < tables.length) {
          if (!out.prepare(until)) break;
          if (++budget === SLICE_CHECK) {
            budget = 0;
            if (performance.now() >= until) break;
          }
          const next = entries.next();
          if (next.done === true) {
            // Keys deleted since the snapshot began: their saved values belong to it.
            for (const [k, saved] of copying.get(name) ?? []) {
              if (saved !== ABSENT && !table.has(k)) out.put(k, saved);
            }
            out.endTable();
            index++;
            if (index < tables.length) {
              [name, table] = tables[index] as [string, Map<NormalizedKey, unknown>];
              entries = table.entries();
              out.table(name, table.size);
            }
            log = copying.get(name);
            continue;
          }
          const [k, v] = next.value;
          log ??= copying.get(name);
          if (log?.has(k) === true) {
            const saved = log.get(k) as JsonData | typeof ABSENT;
            if (saved !== ABSENT) out.put(k, saved);
          } else out.put(k, encodeValue(v));
        }
        if (index < tables.length) {
          scheduler.schedule(step);
          return;
        }
        this.copying = undefined;
        resolve(out.result());
      };
      step();
    });
  }

  /**
   * Starts logging the keys that calls touch (every write, and every read that hands out an object value the
   * caller may change in place), for a backend that commits only the keys that may have changed (the Redis
   * backend). It rides on the copy-on-write hook of asynchronous snapshots, so a store nobody tracks pays
   * nothing on its per-record path. `takeTouched` hands the keys over.
   */
  trackTouched(): void {
    this.copying ??= new Map();
  }

  /**
   * The keys touched since `trackTouched` or the previous call, each with its key group, its encoded key and
   * every named value it holds now (encoded; `undefined` when it holds none any more); starts the next round.
   */
  takeTouched(): TouchedKey[] {
    const log = this.copying;
    if (log === undefined) return [];
    this.copying = new Map();
    const seen = new Set<NormalizedKey>();
    for (const touched of log.values()) for (const k of touched.keys()) seen.add(k);
    const out: TouchedKey[] = [];
    for (const k of seen) {
      let values: Record<string, JsonData> | undefined;
      for (const [name, t] of this.tables) {
        const v = t.get(k);
        if (v === undefined && !t.has(k)) continue;
        (values ??= {})[name] = encodeValue(v);
      }
      out.push({ group: hashNormalized(k) % this.init.maxParallelism, key: this.encodeKey(k), values });
    }
    return out;
  }

  /** Loads saved key groups (only those this instance owns are handed in). */
  restore(snapshot: KeyedSnapshot): void {
    for (const group of Object.values(snapshot)) {
      for (const [name, column] of Object.entries(group)) {
        const { keys, values } = savedColumn(this.init.operator, name, column);
        const table = this.table(name);
        for (let i = 0; i < keys.length; i++) {
          const key = savedKey(keys[i] as JsonData);
          const n = normalizeKey(key);
          if (typeof key === 'object' && key !== null) this.originals.set(n, key);
          const v = values[i] as JsonData;
          table.set(n, typeof v === 'object' && v !== null ? decodeJson(v) : v);
        }
      }
    }
  }

  private original(k: NormalizedKey): unknown {
    if (typeof k !== 'string' || k.charCodeAt(0) !== 0) return k;
    return k.charCodeAt(1) === 0 ? k.slice(1) : this.originals.get(k);
  }
}

/** A key whose state may have changed (see `KeyedStateStore.takeTouched`). */
export interface TouchedKey {
  readonly group: number;
  /** The key as snapshots hold it. */
  readonly key: JsonData;
  /** Its named values now (encoded), or undefined when it holds none. */
  readonly values: Readonly<Record<string, JsonData>> | undefined;
}

/** No key was normalized yet. */
const NO_KEY: unique symbol = Symbol('no key');

/** Marks a key that had no value when a snapshot began. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * Milliseconds of copying per slice of an asynchronous snapshot (records flow between slices): as long as a
 * source's pull slice, so that a large snapshot gets half the thread, not a third (1M keys: about 1.5× faster).
 */
const SLICE_MS = 8;
/** Keys copied between two looks at the clock. */
const SLICE_CHECK = 512;

/**
 * A value as JSON-compatible data: primitives JSON carries as they are, everything else through the codec.
 */
function encodeValue(v: unknown): JsonData {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (Number.isFinite(v) && (v !== 0 || 1 / v > 0)) return v;
      break;
    default:
      if (v === null) return null;
  }
  return encodeJson(v, 'plain') as JsonData;
}
