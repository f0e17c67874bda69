import type { Position } from './partitioned-log.js';

/**
 * The `ctx.config` entry through which a source running under a log backend (the Redis backend) has its read
 * position committed with its task's state and outputs (see `SourcePosition`). Absent under every other
 * backend.
 *
 * @example
 * ```ts
 * const at = this.ctx.config[SOURCE_POSITION] as SourcePosition | undefined;
 * ```
 */
export const SOURCE_POSITION = 'sage.sourcePosition';

/**
 * The field of a source task's positions that holds its source's position.
 *
 * @example
 * ```ts
 * (await log.load('job-1:0:0')).positions.get(SOURCE_FIELD); // '1700000000000-3'
 * ```
 */
export const SOURCE_FIELD = 'src';

/**
 * What a source sees of its task's commits under a log backend: where the last commit left it, and a call to
 * report the position of each record it hands over. A source that reports positions is resumed after the
 * committed one when another worker takes its task over (not replayed from its start), so it stays exact on a
 * trimmed stream and with starts such as `'$'`.
 *
 * @example
 * ```ts
 * const at = this.ctx.config[SOURCE_POSITION] as SourcePosition | undefined;
 * let after = at?.committed ?? '0';
 * // … read the entry after `after`, then, just before returning its record:
 * at?.moved(entry.id);
 * ```
 */
export interface SourcePosition {
  /** The position its task committed last (undefined: none yet, start as configured). */
  readonly committed: Position | undefined;
  /** Reports that the record about to be returned was read at `position` (call it just before returning it). */
  moved(position: Position): void;
}

/**
 * A source task's side of `SourcePosition`: which reported position belongs to which record the task
 * received (the source slot's emitted count), so that a commit takes the position of the last record that
 * entered the task, never of one the source returned but the runtime has not handed on yet.
 *
 * @example
 * ```ts
 * const tracker = new SourcePositionTracker(committed.positions.get(SOURCE_FIELD), () => slot.metrics.out);
 * const next = tracker.settled(); // the position to commit
 * ```
 */
export class SourcePositionTracker implements SourcePosition {
  /** Ordinals (1-based, in emission order) and the positions reported for them, oldest first. */
  private readonly ordinals: number[] = [];
  private readonly positions: Position[] = [];

  constructor(
    public committed: Position | undefined,
    private readonly emitted: () => number,
  ) {}

  /**
   * True once its source reported a position (or one was committed): its stage resumes after the committed
   * position instead of replaying, so each commit must be a consistent cut (see `StageTask`).
   */
  get reports(): boolean {
    return this.committed !== undefined || this.positions.length > 0;
  }

  moved(position: Position): void {
    this.ordinals.push(this.emitted() + 1);
    this.positions.push(position);
  }

  /** The position of the last record that entered the task (the committed one when none did since). */
  settled(): Position | undefined {
    const i = this.lastAtMost(this.emitted());
    return i < 0 ? this.committed : this.positions[i];
  }

  /** The position of the record with ordinal `n`, when the source reported one. */
  positionOf(n: number): Position | undefined {
    const i = this.lastAtMost(n);
    return i >= 0 && this.ordinals[i] === n ? this.positions[i] : undefined;
  }

  /** A commit of `position` was applied: it is the committed one, and older reports are let go. */
  commit(position: Position): void {
    this.committed = position;
    const i = this.lastAtMost(this.emitted());
    // Keep the last settled report (the record being processed may still need its position) and the newer ones.
    if (i > 0) {
      this.ordinals.splice(0, i);
      this.positions.splice(0, i);
    }
  }

  private lastAtMost(n: number): number {
    let lo = 0;
    let hi = this.ordinals.length - 1;
    if (hi < 0 || (this.ordinals[0] as number) > n) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.ordinals[mid] as number) <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
