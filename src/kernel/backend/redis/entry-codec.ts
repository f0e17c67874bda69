import { decodeJson, encodeJson, OMITTED } from '../../runtime/state/json-codec.js';

/**
 * One record as it crosses a stream, as JSON text. A record whose value and key are plain JSON (finite
 * numbers, strings, booleans, null, arrays and plain objects without `$`-keys: what most records are) is the
 * text of `[value, key]` or `[value, key, timestamp]`, which `JSON.parse` alone turns back into equal values;
 * any other record goes through the engine's JSON codec (Date, Map, Set, `undefined`, bigint keep their type)
 * and is wrapped as `{"c":[…]}`. The text is taken when the record is emitted, so later changes to the
 * emitted object do not leak into the stream.
 */
export type EncodedRecord = string;

/** A record read back from a stream: its value, its key and its event-time timestamp. */
export type DecodedRecord = readonly [value: unknown, key: unknown, timestamp?: number];

/** A batch of records, and whether its producer ended after them. */
export interface EdgeEntry {
  readonly records: readonly DecodedRecord[];
  readonly end: boolean;
}

/**
 * Encodes one record (see `EncodedRecord`), so that its key hashes to the same key group on every worker.
 *
 * @example
 * ```ts
 * encodeRecord({ n: 1 }, 'k', undefined); // '[{"n":1},"k"]'
 * encodeRecord(new Date(0), 'k', undefined); // '{"c":[{"$d":0},"k"]}'
 * ```
 */
export function encodeRecord(value: unknown, key: unknown, timestamp: number | undefined): EncodedRecord {
  if (isPlain(value, 0) && isPlain(key, 0)) {
    return JSON.stringify(timestamp === undefined ? [value, key] : [value, key, timestamp]);
  }
  const v = encodeJson(value, 'plain');
  const k = encodeJson(key, 'plain');
  const ev = v === OMITTED ? null : v;
  const ek = k === OMITTED ? null : k;
  return JSON.stringify({ c: timestamp === undefined ? [ev, ek] : [ev, ek, timestamp] });
}

/**
 * The payload of one stream entry: a batch of encoded records, with an end-of-stream flag.
 *
 * @example
 * ```ts
 * decodeEntry(encodeEntry([encodeRecord(1, 'a', undefined)], true)); // { records: [[1, 'a']], end: true }
 * ```
 */
export function encodeEntry(records: readonly EncodedRecord[], end: boolean): string {
  return `{"r":[${records.join(',')}]${end ? ',"end":true' : ''}}`;
}

/**
 * Reads the payload of one stream entry (see `encodeEntry`). Plain records come back as the arrays
 * `JSON.parse` made, without another pass.
 *
 * @example
 * ```ts
 * const { records, end } = decodeEntry(data);
 * for (const [value, key, timestamp] of records) task.receive(value, key, channel, timestamp);
 * ```
 */
export function decodeEntry(data: string): EdgeEntry {
  const parsed = JSON.parse(data) as { r?: unknown[]; end?: boolean };
  const records = (parsed.r ?? []) as DecodedRecord[];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as unknown;
    if (!Array.isArray(r)) {
      const coded = (r as { c: unknown[] }).c;
      records[i] = [decodeJson(coded[0]), decodeJson(coded[1]), coded[2] as number | undefined];
    }
  }
  return { records, end: parsed.end === true };
}

/** Nesting beyond which a value is not checked (it takes the codec, which also rejects circular values). */
const MAX_DEPTH = 32;

/**
 * True when `JSON.stringify` then `JSON.parse` give back a value equal to `v` and the engine's codec would
 * leave it as it is: no `undefined`, non-finite number, -0, bigint, function, symbol, Date, Map, Set, class
 * instance, array hole, or object key starting with `$`.
 */
function isPlain(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && (v !== 0 || 1 / v > 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (v === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) if (!isPlain(v[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  for (const name in o) {
    if (name.charCodeAt(0) === 36 || !isPlain(o[name], depth + 1)) return false;
  }
  return true;
}
