import { StateAccessError } from '../../../errors/state-access-error.js';
import { hashNormalized } from '../key/hash-key.js';
import { normalizeKey, type NormalizedKey } from '../key/key-encoding.js';
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
  private readonly tables = new Map<string, Map<NormalizedKey, unknown>>();
  /** The original key of every structured key (a Date, an array, a plain object) that holds state. */
  private readonly originals = new Map<NormalizedKey, unknown>();
  private readonly call: CallContext;

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
    if (typeof key !== 'object' || key === null) return normalizeKey(key);
    const n = normalizeKey(key);
    if (!this.originals.has(n)) this.originals.set(n, key);
    return n;
  }

  /** Every key that holds state in this instance (original values), in no particular order. */
  keys(): unknown[] {
    const seen = new Set<NormalizedKey>();
    for (const t of this.tables.values()) for (const k of t.keys()) seen.add(k);
    return [...seen].map((k) => this.original(k));
  }

  /** A deep copy of every key's state as JSON-compatible data, by key group. */
  snapshot(): KeyedSnapshot | undefined {
    if (this.tables.size === 0) return undefined;
    const byKey = new Map<NormalizedKey, Record<string, JsonData>>();
    for (const [name, t] of this.tables) {
      for (const [k, v] of t) {
        let states = byKey.get(k);
        if (states === undefined) {
          states = {};
          byKey.set(k, states);
        }
        Object.defineProperty(states, name, {
          value: encodeJson(v, 'plain'),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    if (byKey.size === 0) return undefined;
    const groups: Record<string, KeyedSnapshotEntry[]> = {};
    const maxP = this.init.maxParallelism;
    for (const [k, states] of byKey) {
      const group = String(hashNormalized(k) % maxP);
      (groups[group] ??= []).push([encodeJson(this.original(k), 'plain') as JsonData, states]);
    }
    return groups;
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
