import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { PipeTransformation } from '../transformation/pipe-transformation.js';
import { InstancePipeStep } from './pipe-instance-step.js';
import { KeyedPipeStep } from './pipe-keyed-step.js';

/**
 * Lowers `pipe`: the RxJS operators run once per instance (unkeyed input) or once per key (hash-keyed input),
 * their outputs keeping the key. Their internal state is not part of checkpoints: when checkpointing is on or the
 * job is restored from a snapshot, the first instance logs (warn) once that the step restarts empty.
 *
 * @example
 * ```ts
 * const spec = lowerPipe(new PipeTransformation(init, [bufferCount(2)], undefined));
 * ```
 */
export function lowerPipe(t: PipeTransformation): OperatorSpec {
  const keyed = t.keyedInput;
  let warned = false;
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed,
    create: (rt, out) => {
      if (!warned && (rt.ctx.config.checkpointing !== undefined || rt.restored !== undefined)) {
        warned = true;
        rt.ctx.logger.warn(
          `[${t.name}] a pipe step's RxJS operators keep their state outside checkpoints: ` +
            'after a restore they start empty',
        );
      }
      return keyed
        ? new KeyedPipeStep(rt, out, t.operators, t.keyIdleTimeoutMs)
        : new InstancePipeStep(rt, out, t.operators, t.keyIdleTimeoutMs);
    },
  };
}
