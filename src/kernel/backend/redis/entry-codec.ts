import { decodeJson, encodeJson, OMITTED, type JsonData } from '../../runtime/state/json-codec.js';

/** One record as it crosses a stream: its value, its key and its event-time timestamp (encoded). */
export type EncodedRecord = readonly [value: JsonData, key: JsonData, timestamp?: number];

/** A batch of records, and whether its producer ended after them. */
export interface EdgeEntry {
  readonly records: readonly EncodedRecord[];
  readonly end: boolean;
}

/**
 * Encodes one record with the engine's JSON codec (Date, Map, Set, `undefined`, bigint keep their type), so
 * that its key hashes to the same key group on every worker.
 *
 * @example
 * ```ts
 * encodeRecord({ n: 1 }, 'k', undefined); // [{ n: 1 }, 'k']
 * ```
 */
export function encodeRecord(value: unknown, key: unknown, timestamp: number | undefined): EncodedRecord {
  const v = encodeJson(value, 'plain');
  const k = encodeJson(key, 'plain');
  const ev = v === OMITTED ? null : v;
  const ek = k === OMITTED ? null : k;
  return timestamp === undefined ? [ev, ek] : [ev, ek, timestamp];
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
  return JSON.stringify(end ? { r: records, end: true } : { r: records });
}

/**
 * Reads the payload of one stream entry (see `encodeEntry`).
 *
 * @example
 * ```ts
 * const { records, end } = decodeEntry(data);
 * ```
 */
export function decodeEntry(data: string): EdgeEntry {
  const parsed = JSON.parse(data) as { r?: EncodedRecord[]; end?: boolean };
  return { records: parsed.r ?? [], end: parsed.end === true };
}

/**
 * The value and key of an encoded record.
 *
 * @example
 * ```ts
 * const [value, key] = decodeRecord(record);
 * ```
 */
export function decodeRecord(record: EncodedRecord): [unknown, unknown, number | undefined] {
  return [decodeJson(record[0]), decodeJson(record[1]), record[2]];
}
