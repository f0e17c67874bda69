import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';

/**
 * Names a side output of a process function (Flink's `OutputTag`): `this.ctx.output(tag, value)` sends a value
 * to it and `stream.getSideOutput(tag)` is the stream of those values. Two tags with the same id are the same
 * side output.
 *
 * @example
 * ```ts
 * const late = new OutputTag<Reading>('late');
 * const main = readings.keyBy((r) => r.sensor).process(Check);   // Check calls this.ctx.output(late, r)
 * main.getSideOutput(late).sink((r) => console.log('late:', r));
 * ```
 */
export class OutputTag<T> {
  /** Phantom member: ties the tag to the type of its values (never set). */
  declare readonly valueType?: T;

  constructor(readonly id: string) {
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidFunctionError('OutputTag', 'a non-empty string id', id);
    }
  }
}
