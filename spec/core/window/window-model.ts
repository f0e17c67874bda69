/** A record or a watermark of a generated event-time stream. */
export type StreamOp =
  | { readonly kind: 'record'; readonly key: number; readonly value: number; readonly timestamp: number }
  | { readonly kind: 'watermark'; readonly watermark: number };

/** How the model places records: tumbling, sliding or session windows. */
export type ModelAssigner =
  | { readonly kind: 'tumbling'; readonly size: number; readonly offset?: number }
  | { readonly kind: 'sliding'; readonly size: number; readonly slide: number; readonly offset?: number }
  | { readonly kind: 'session'; readonly gap: number };

/** One firing of a window: the key, the window and the values it held then (arrival order). */
export interface ModelFiring {
  /** The index of the op (record or watermark) during which the window fired. */
  readonly at: number;
  readonly key: number;
  readonly start: number;
  readonly end: number;
  readonly values: readonly number[];
}

interface ModelWindow {
  readonly key: number;
  start: number;
  end: number;
  values: number[];
}

/**
 * A plain model of Flink's event-time windows with the default trigger and allowed lateness, written from the
 * rules rather than from the engine: a window accepts a record while `end - 1 + lateness > watermark`, fires
 * once when the watermark passes `end - 1` and again for every record it accepts afterwards, and is dropped
 * when the watermark reaches `end - 1 + lateness`; a record no window accepts is late when
 * `timestamp + lateness ≤ watermark`. Tumbling and sliding windows are every `[start, start + size)` that holds
 * the timestamp with `start ≡ offset (mod slide)` (`slide = size` for tumbling), negative times included. Session windows are the merged intervals `[t, t + gap)` of the records
 * a live session accepted (touching intervals merge).
 *
 * @example
 * ```ts
 * const { firings, late } = runModel(ops, { kind: 'tumbling', size: 10 }, 0);
 * ```
 */
export function runModel(
  ops: readonly StreamOp[],
  assigner: ModelAssigner,
  lateness: number,
): { firings: ModelFiring[]; late: number[] } {
  let watermark = Number.NEGATIVE_INFINITY;
  let open: ModelWindow[] = [];
  const firings: ModelFiring[] = [];
  const late: number[] = [];
  let at = 0;
  const fire = (w: ModelWindow): void => {
    firings.push({ at, key: w.key, start: w.start, end: w.end, values: [...w.values] });
  };
  const isLate = (end: number): boolean => end - 1 + lateness <= watermark;

  for (const [index, op] of ops.entries()) {
    at = index;
    if (op.kind === 'watermark') {
      if (op.watermark <= watermark) continue;
      const previous = watermark;
      watermark = op.watermark;
      for (const w of open) if (w.end - 1 > previous && w.end - 1 <= watermark) fire(w);
      open = open.filter((w) => !isLate(w.end));
      continue;
    }
    const { key, value, timestamp } = op;
    let accepted = false;
    if (assigner.kind === 'session') {
      let start = timestamp;
      let end = timestamp + assigner.gap;
      const overlapping = open.filter((w) => w.key === key && w.start <= end && w.end >= start);
      for (const w of overlapping) {
        start = Math.min(start, w.start);
        end = Math.max(end, w.end);
      }
      if (!isLate(end)) {
        accepted = true;
        const merged: ModelWindow = {
          key,
          start,
          end,
          values: [...overlapping.flatMap((w) => w.values), value],
        };
        open = [...open.filter((w) => !overlapping.includes(w)), merged];
        if (end - 1 <= watermark) fire(merged);
      }
    } else {
      const size = assigner.size;
      const slide = assigner.kind === 'sliding' ? assigner.slide : assigner.size;
      const offset = assigner.offset ?? 0;
      for (let start = timestamp - size + 1; start <= timestamp; start++) {
        const end = start + size;
        if ((((start - offset) % slide) + slide) % slide !== 0 || isLate(end)) continue;
        accepted = true;
        let w = open.find((o) => o.key === key && o.start === start && o.end === end);
        if (w === undefined) open.push((w = { key, start, end, values: [] }));
        w.values.push(value);
        if (end - 1 <= watermark) fire(w);
      }
    }
    if (!accepted && timestamp + lateness <= watermark) late.push(value);
  }
  return { firings, late };
}
