import type { JsonData } from '../../runtime/state/json-codec.js';
import type { InstanceSnapshot } from '../../runtime/state/job-snapshot.js';
import type { TouchedKey } from '../../runtime/state/keyed-state-store.js';
import type { KeyGroupColumn } from '../../runtime/state/keyed-snapshot.js';

/** What `changedStateFields` reads of one operator of a task (an `OperatorSlot`). */
export interface StateSource {
  readonly operatorName: string;
  /** The function's own state (fields or `snapshotState()`), undefined when it has none. */
  functionSnapshot(): unknown;
  /** The keys touched since the last call, with their values now (the operator's keyed state). */
  takeTouched(): TouchedKey[];
}

/**
 * The state fields of a task that changed since the previous call (`null`: the field went away), in the form
 * `stateFields` gives them: each touched key's field (only keys touched since the last call, so the cost
 * follows the changes, not the size of the state) and each function-state field whose JSON changed since
 * `last` (updated in place).
 *
 * @example
 * ```ts
 * const last = new Map<string, string>();
 * const changes = changedStateFields(sources, last); // [['["count",17,"apple"]', '{"count":3}'], …]
 * ```
 */
export function changedStateFields(
  sources: readonly StateSource[],
  last: Map<string, string>,
): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const source of sources) {
    const operator = source.operatorName;
    const fields = source.functionSnapshot();
    const name = JSON.stringify([operator]);
    const json = fields === undefined ? undefined : JSON.stringify(fields);
    if (json !== last.get(name)) {
      out.push([name, json ?? null]);
      if (json === undefined) last.delete(name);
      else last.set(name, json);
    }
    for (const t of source.takeTouched()) {
      out.push([
        JSON.stringify([operator, t.group, t.key]),
        t.values === undefined ? null : JSON.stringify(t.values),
      ]);
    }
  }
  return out;
}

/**
 * One task's state as hash fields, the form in which it is committed: one field per (operator, key group,
 * key) holding that key's named values, and one per operator holding its function's fields. A commit writes
 * only the fields that changed since the last one, so the hash is a compacted changelog of the state.
 *
 * @example
 * ```ts
 * const fields = stateFields(task.captureState());
 * fields.get('["count",17,"apple"]'); // '{"count":3}'
 * ```
 */
export function stateFields(state: ReadonlyMap<string, InstanceSnapshot>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [operator, snapshot] of state) {
    if (snapshot.fields !== undefined) out.set(JSON.stringify([operator]), JSON.stringify(snapshot.fields));
    if (snapshot.keyed === undefined) continue;
    for (const [group, tables] of Object.entries(snapshot.keyed)) {
      const perKey = new Map<string, Record<string, JsonData>>();
      for (const [name, column] of Object.entries(tables)) {
        column.keys.forEach((key, i) => {
          const field = JSON.stringify([operator, Number(group), key]);
          let values = perKey.get(field);
          if (values === undefined) {
            values = {};
            perKey.set(field, values);
          }
          values[name] = column.values[i] as JsonData;
        });
      }
      for (const [field, values] of perKey) out.set(field, JSON.stringify(values));
    }
  }
  return out;
}

/**
 * The fields that differ between two states (`null`: the field went away), for a commit.
 *
 * @example
 * ```ts
 * changedFields(new Map([['a', '1']]), new Map([['a', '2']])); // [['a', '2']]
 * ```
 */
export function changedFields(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const [field, value] of after) if (before.get(field) !== value) out.push([field, value]);
  for (const field of before.keys()) if (!after.has(field)) out.push([field, null]);
  return out;
}

/**
 * The snapshots of a task's operators rebuilt from its committed fields (see `stateFields`).
 *
 * @example
 * ```ts
 * const byOperator = snapshotsOf(committed.state);
 * byOperator.get('count')?.keyed;
 * ```
 */
export function snapshotsOf(fields: ReadonlyMap<string, string>): Map<string, InstanceSnapshot> {
  const builders = new Map<string, { fields?: unknown; keyed: Record<string, Record<string, Column>> }>();
  const of = (operator: string): { fields?: unknown; keyed: Record<string, Record<string, Column>> } => {
    let b = builders.get(operator);
    if (b === undefined) {
      b = { keyed: {} };
      builders.set(operator, b);
    }
    return b;
  };
  for (const [field, value] of fields) {
    const parts = JSON.parse(field) as [string, number?, JsonData?];
    const b = of(parts[0]);
    if (parts.length === 1) {
      b.fields = JSON.parse(value) as unknown;
      continue;
    }
    const group = String(parts[1]);
    const tables = (b.keyed[group] ??= {});
    for (const [name, v] of Object.entries(JSON.parse(value) as Record<string, JsonData>)) {
      const column = (tables[name] ??= { keys: [], values: [] });
      column.keys.push(parts[2] as JsonData);
      column.values.push(v);
    }
  }
  const out = new Map<string, InstanceSnapshot>();
  for (const [operator, b] of builders) {
    const keyed = Object.keys(b.keyed).length > 0 ? b.keyed : undefined;
    out.set(operator, {
      ...(b.fields !== undefined ? { fields: b.fields } : {}),
      ...(keyed !== undefined ? { keyed } : {}),
    });
  }
  return out;
}

interface Column extends KeyGroupColumn {
  readonly keys: JsonData[];
  readonly values: JsonData[];
}

/**
 * How the names of the keyed timers' state start (see `KeyedTimerService`: `\u0000timers/event`,
 * `\u0000timers/processing`), as they appear in a state field's JSON.
 */
const TIMER_STATE_JSON = '"\\u0000timers/';

/**
 * Whether a key's state field value (its named values as JSON, see `stateFields`) holds keyed timers.
 *
 * @example
 * ```ts
 * holdsTimers(JSON.stringify({ count: 3 })); // false
 * holdsTimers(JSON.stringify({ '\u0000timers/event': [1000] })); // true
 * ```
 */
export function holdsTimers(value: string | null | undefined): boolean {
  if (value === null || value === undefined || !value.includes(TIMER_STATE_JSON)) return false;
  // The marker can only be a name here, unless a user value holds it: check the names.
  return Object.keys(JSON.parse(value) as Record<string, unknown>).some((name) =>
    name.startsWith('\u0000timers/'),
  );
}

/**
 * The state fields of a task's whole committed state that hold keyed timers.
 *
 * @example
 * ```ts
 * timerFieldsOf(committed.state); // Set { '["alert",17,"k3"]' }
 * ```
 */
export function timerFieldsOf(state: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [field, value] of state) if (holdsTimers(value)) out.add(field);
  return out;
}

/**
 * The changes of a task's index of timer keys that a commit of `changes` (see `changedStateFields`) makes:
 * `[field, true]` for a key field that now holds timers and was not indexed, `[field, false]` for an indexed
 * one that no longer does. `indexed` (the fields indexed so far) is updated in place.
 *
 * @example
 * ```ts
 * const indexed = new Set<string>();
 * timerIndexChanges([['["alert",3,"k"]', '{"\\u0000timers/event":[5]}']], indexed); // [['["alert",3,"k"]', true]]
 * ```
 */
export function timerIndexChanges(
  changes: readonly (readonly [string, string | null])[],
  indexed: Set<string>,
): [string, boolean][] {
  const out: [string, boolean][] = [];
  for (const [field, value] of changes) {
    const holds = holdsTimers(value);
    if (holds === indexed.has(field)) continue;
    out.push([field, holds]);
    if (holds) indexed.add(field);
    else indexed.delete(field);
  }
  return out;
}
