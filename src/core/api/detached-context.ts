import log from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { UsageError } from '../../errors/usage-error.js';
import { TaskContext } from '../../kernel/runtime/context/task-context.js';
import type { ServiceLookup } from '../../kernel/runtime/service/service-lookup.js';
import type { KeyedState } from '../../kernel/runtime/state/keyed-state.js';

/** The services of a detached context: there are none, and every call says why. */
function noServices(operator: string): ServiceLookup {
  return {
    channel(name: string): never {
      throw new UsageError(
        `${operator}: service ${JSON.stringify(name)} is not available outside a job (asOperator); ` +
          'run the function in a pipeline, or give it what it needs through args',
      );
    },
    names: () => [],
  };
}

/**
 * The `ctx` of a function run by `asOperator`, outside any job: `name` (`<name>_0`), `parallelIndex` 0,
 * `parallelism` 1, a logger (`sage-kernel:asOperator:<name>`), `config` `{}`, `envName` and `jobId` `''`,
 * `getKey()` `undefined`, the default RxJS `asyncScheduler`. Keyed state and service calls throw
 * {@link UsageError} saying they need a job.
 *
 * @example
 * ```ts
 * fn.ctx = new DetachedContext('Enrich');
 * ```
 */
export class DetachedContext extends TaskContext {
  constructor(operator: string) {
    super({
      operator,
      parallelIndex: 0,
      parallelism: 1,
      envName: '',
      jobId: '',
      logger: log.getLogger(`sage-kernel:asOperator:${operator}`),
      scheduler: asyncScheduler,
      call: { key: undefined, input: 0, timestamp: undefined },
      services: noServices(operator),
    });
  }

  /** Keyed state needs a job: always throws {@link UsageError}. */
  override get state(): KeyedState {
    throw new UsageError(
      `${this.operator}: keyed state is not available outside a job (asOperator); ` +
        'use it in a pipeline after keyBy, or keep the state in a field of the function',
    );
  }
}
