import { Transformation, type TransformationInit } from './transformation.js';

/** Gives a record its event time in ms, from the record and its current timestamp (if any). */
export type TimestampAssigner = (record: unknown, currentTimestamp: number | undefined) => number;

/** What a watermark strategy asks of the runtime. */
export interface WatermarkSpec {
  /** The watermark trails the largest timestamp by this much (+1 ms); `undefined`: no watermarks. */
  readonly outOfOrdernessMs: number | undefined;
  /** Gives each record its timestamp; without it records keep theirs. */
  readonly assigner?: TimestampAssigner;
  /** An instance without records for this long is idle. */
  readonly idlenessMs?: number;
}

/**
 * `assignTimestampsAndWatermarks`: sets each record's event time and emits watermarks periodically on the job's
 * scheduler; watermarks from upstream stop here (except the final `+Infinity`).
 *
 * @example
 * ```ts
 * new TimestampsTransformation({ name: 'timestamps', parallelism: 1, inputs: [upstream] }, { outOfOrdernessMs: 0 });
 * ```
 */
export class TimestampsTransformation extends Transformation {
  readonly kind = 'timestamps' as const;

  constructor(
    init: TransformationInit,
    readonly watermarks: WatermarkSpec,
    /** Ms between two periodic watermarks (config `autoWatermarkIntervalMs`). */
    readonly intervalMs: number,
  ) {
    super(init);
  }

  override get fusible(): boolean {
    return true;
  }
}
