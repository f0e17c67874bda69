import { StateAccessError } from '../../../errors/state-access-error.js';
import { hashNormalized } from '../key/hash-key.js';
import { normalizeKey, type NormalizedKey } from '../key/key-encoding.js';
import type { SchedulerLike } from 'rxjs';
import type { CallContext } from '../step.js';
import { decodeJson, encodeJson, type JsonData } from './json-codec.js';
import type { KeyedSnapshot, KeyedSnapshotEntry } from './keyed-snapshot.js';

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

  constructor(private readonly init: KeyedStoreInit) {
    this.call = init.call;
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
    if (!this.init.keyed) {
      throw new StateAccessError(
        `${this.init.operator}: ctx.state needs a hash-keyed input: call keyBy(...) before this operator`,
      );
    }
    const key = this.call.key;
    if (key === this.lastKey) return this.lastNormalized;
    let n: NormalizedKey;
    if (typeof key !== 'object' || key === null) n = normalizeKey(key);
    else {
      n = normalizeKey(key);
      if (!this.originals.has(n)) this.originals.set(n, key);
    }
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
    log.set(k, table.has(k) ? (encodeJson(table.get(k), 'plain') as JsonData) : ABSENT);
  }

  /** A deep copy of every key's state as JSON-compatible data, by key group, taken at once. */
  snapshot(): KeyedSnapshot | undefined {
    const out = this.builder();
    for (const [name, t] of this.tables) {
      for (const [k, v] of t) out.put(k, name, encodeJson(v, 'plain') as JsonData);
    }
    return out.result();
  }

  private builder(): SnapshotBuilder {
    return new SnapshotBuilder(
      this.init.maxParallelism,
      (k) => encodeJson(this.original(k), 'plain') as JsonData,
    );
  }

  /**
   * The same copy, taken without stalling the job: the state is copied `chunk` keys at a time on `scheduler`
   * while records go on changing it; a value changed meanwhile is saved, as it was when the snapshot began,
   * just before its first change (copy-on-write), so the result is the state at the moment of this call.
   * Small states are copied at once.
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
      let entries = (tables[0] as [string, Map<NormalizedKey, unknown>])[1].entries();
      const step = (): void => {
        let budget = chunk;
        while (index < tables.length && budget-- > 0) {
          const [name, table] = tables[index] as [string, Map<NormalizedKey, unknown>];
          const next = entries.next();
          if (next.done === true) {
            // Keys deleted since the snapshot began: their saved values belong to it.
            for (const [k, saved] of copying.get(name) ?? []) {
              if (saved !== ABSENT && !table.has(k)) out.put(k, name, saved);
            }
            index++;
            if (index < tables.length)
              entries = (tables[index] as [string, Map<NormalizedKey, unknown>])[1].entries();
            continue;
          }
          const [k, v] = next.value;
          const log = copying.get(name);
          if (log?.has(k) === true) {
            const saved = log.get(k) as JsonData | typeof ABSENT;
            if (saved !== ABSENT) out.put(k, name, saved);
          } else out.put(k, name, encodeJson(v, 'plain') as JsonData);
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

  /** Loads saved key groups (only those this instance owns are handed in). */
  restore(snapshot: KeyedSnapshot): void {
    for (const entries of Object.values(snapshot)) {
      for (const [encodedKey, states] of entries) {
        const key = decodeJson(encodedKey);
        const n = normalizeKey(key);
        if (typeof key === 'object' && key !== null) this.originals.set(n, key);
        for (const name of Object.keys(states)) this.table(name).set(n, decodeJson(states[name]));
      }
    }
  }

  private original(k: NormalizedKey): unknown {
    if (typeof k !== 'string' || k.charCodeAt(0) !== 0) return k;
    return k.charCodeAt(1) === 0 ? k.slice(1) : this.originals.get(k);
  }
}

/** No key was normalized yet. */
const NO_KEY: unique symbol = Symbol('no key');

/** Marks a key that had no value when a snapshot began. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * Gathers a snapshot key by key, straight into its key group (so no pass over all keys is left for the end):
 * a key's entry is placed when it is first met, and later states of the same key are added to it.
 */
class SnapshotBuilder {
  private readonly byKey = new Map<NormalizedKey, Record<string, JsonData>>();
  private readonly groups: Record<string, KeyedSnapshotEntry[]> = {};

  constructor(
    private readonly maxParallelism: number,
    private readonly encodeKey: (k: NormalizedKey) => JsonData,
  ) {}

  put(k: NormalizedKey, name: string, value: JsonData): void {
    let states = this.byKey.get(k);
    if (states === undefined) {
      states = {};
      this.byKey.set(k, states);
      const group = String(hashNormalized(k) % this.maxParallelism);
      (this.groups[group] ??= []).push([this.encodeKey(k), states]);
    }
    Object.defineProperty(states, name, { value, enumerable: true, writable: true, configurable: true });
  }

  result(): KeyedSnapshot | undefined {
    return this.byKey.size === 0 ? undefined : this.groups;
  }
}
