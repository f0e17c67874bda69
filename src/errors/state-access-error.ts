import { SageError } from './sage-error.js';

/**
 * Keyed state used where there is no key: `ctx.state` needs a hash-keyed input (a `keyBy` upstream).
 *
 * @example
 * ```ts
 * env.fromBatch([1]).map(function (x) { return this.ctx.state.value('n', 0).get(); });
 * // the record fails with StateAccessError: call keyBy(...) before this operator
 * ```
 */
export class StateAccessError extends SageError {}
