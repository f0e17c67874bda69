import { ENTRY, IDLENESS, RECORD } from './peer-link.js';

/**
 * A batch as columns, ready to cross a thread: ops and targets in typed arrays, and values, keys and timestamps
 * each in a Float64Array when every record's is a number (the common case of numeric records, keys and event
 * times), else in a plain array of one item per entry (structured clone then copies only those). Signals'
 * data ride in the value column (a barrier id, a watermark, an idleness flag as 0/1). The typed arrays' buffers
 * are transferred, not copied.
 */
export interface EncodedBatch {
  readonly ops: Uint8Array;
  /** Per entry: target task, then channel. */
  readonly ids: Int32Array;
  readonly values: Float64Array | unknown[];
  /** Absent when no record has a key. */
  readonly keys: Float64Array | unknown[] | undefined;
  /** Absent when no record has a timestamp. */
  readonly times: Float64Array | unknown[] | undefined;
}

/**
 * Encodes a flat batch (entries `[op, task, channel, value, key, timestamp]`) as columns.
 *
 * @example
 * ```ts
 * const encoded = encodeBatch(batch);
 * port.postMessage(encoded, transferList(encoded));
 * ```
 */
export function encodeBatch(batch: readonly unknown[]): EncodedBatch {
  const n = batch.length / ENTRY;
  const ops = new Uint8Array(n);
  const ids = new Int32Array(2 * n);
  let numericValues = true;
  let numericKeys = true;
  let anyKey = false;
  let numericTimes = true;
  let anyTime = false;
  for (let e = 0, i = 0; e < n; e++, i += ENTRY) {
    const op = batch[i] as number;
    ops[e] = op;
    ids[2 * e] = batch[i + 1] as number;
    ids[2 * e + 1] = batch[i + 2] as number;
    const value = batch[i + 3];
    if (op === RECORD) {
      if (typeof value !== 'number') numericValues = false;
      const key = batch[i + 4];
      if (key !== undefined) {
        anyKey = true;
        if (typeof key !== 'number') numericKeys = false;
      } else numericKeys = false;
      const time = batch[i + 5];
      if (time !== undefined) {
        anyTime = true;
        if (typeof time !== 'number') numericTimes = false;
      } else numericTimes = false;
    } else if (value !== undefined && typeof value !== 'number' && typeof value !== 'boolean') {
      numericValues = false;
    }
  }
  return {
    ops,
    ids,
    values: numericValues ? numbers(batch, 3, n, true) : column(batch, 3, n),
    keys: !anyKey ? undefined : numericKeys ? numbers(batch, 4, n, false) : column(batch, 4, n),
    times: !anyTime ? undefined : numericTimes ? numbers(batch, 5, n, false) : column(batch, 5, n),
  };
}

/**
 * The flat batch again, entry for entry as it was encoded.
 *
 * @example
 * ```ts
 * const batch = decodeBatch(message);
 * ```
 */
export function decodeBatch(encoded: EncodedBatch): unknown[] {
  const { ops, ids, values, keys, times } = encoded;
  const n = ops.length;
  const out = new Array<unknown>(n * ENTRY);
  const numericValues = values instanceof Float64Array;
  for (let e = 0, i = 0; e < n; e++, i += ENTRY) {
    const op = ops[e] as number;
    out[i] = op;
    out[i + 1] = ids[2 * e];
    out[i + 2] = ids[2 * e + 1];
    if (op === RECORD) {
      out[i + 3] = values[e];
      out[i + 4] = keys?.[e];
      out[i + 5] = times?.[e];
      continue;
    }
    const value = values[e];
    out[i + 3] = numericValues && op === IDLENESS ? value !== 0 : value;
    out[i + 4] = undefined;
    out[i + 5] = undefined;
  }
  return out;
}

/**
 * The buffers of an encoded batch's typed arrays, to transfer with it.
 *
 * @example
 * ```ts
 * port.postMessage(encoded, transferList(encoded));
 * ```
 */
export function transferList(encoded: EncodedBatch): ArrayBuffer[] {
  const list: ArrayBuffer[] = [encoded.ops.buffer as ArrayBuffer, encoded.ids.buffer as ArrayBuffer];
  for (const c of [encoded.values, encoded.keys, encoded.times]) {
    if (c instanceof Float64Array) list.push(c.buffer as ArrayBuffer);
  }
  return list;
}

/** Slot `slot` of every entry as numbers (a signal's boolean as 0/1, its absent datum as 0). */
function numbers(batch: readonly unknown[], slot: number, n: number, signals: boolean): Float64Array {
  const out = new Float64Array(n);
  for (let e = 0, i = slot; e < n; e++, i += ENTRY) {
    const v = batch[i];
    if (typeof v === 'number') out[e] = v;
    else if (signals && v === true) out[e] = 1;
  }
  return out;
}

/** Slot `slot` of every entry, as a plain array. */
function column(batch: readonly unknown[], slot: number, n: number): unknown[] {
  const out = new Array<unknown>(n);
  for (let e = 0, i = slot; e < n; e++, i += ENTRY) out[e] = batch[i];
  return out;
}
