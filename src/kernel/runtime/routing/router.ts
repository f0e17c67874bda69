import type { Partitioning } from '../physical-plan.js';
import { hashKey } from '../key/hash-key.js';
import { instanceOfKeyGroup } from '../key/key-group.js';
import type { Receiver } from './receiver.js';

/**
 * Sends the records of one upstream instance over one edge to the consumer's instances.
 *
 * @example
 * ```ts
 * const router = createRouter('hash', consumers, 0);
 * router.route(record, key);
 * ```
 */
export interface Router {
  route(value: unknown, key: unknown): void;
  /** The upstream instance completed: tells every consumer instance once. */
  end(): void;
}

/**
 * Builds the router for one edge from one upstream instance. `onEnd`, when given, runs after the consumers
 * were told of the end (the Dispatcher uses it for edges entering a feedback loop).
 *
 * @example
 * ```ts
 * const router = createRouter('hash', consumerTasks, 0);
 * router.route(record, key); // always the same consumer for the same key
 * ```
 */
export function createRouter(
  partitioning: Partitioning,
  targets: readonly Receiver[],
  input: number,
  onEnd?: () => void,
  maxParallelism = 128,
): Router {
  if (targets.length === 0)
    throw new RangeError('createRouter: an edge needs at least one consumer instance');
  const router = pick(partitioning, targets, input, maxParallelism);
  if (onEnd === undefined) return router;
  return {
    route: (value, key) => {
      router.route(value, key);
    },
    end: () => {
      router.end();
      onEnd();
    },
  };
}

function pick(
  partitioning: Partitioning,
  targets: readonly Receiver[],
  input: number,
  maxParallelism: number,
): Router {
  if (targets.length === 1) return new SingleRouter(targets[0] as Receiver, input);
  switch (partitioning) {
    case 'hash':
      return new HashRouter(targets, input, maxParallelism);
    case 'broadcast':
      return new BroadcastRouter(targets, input);
    default:
      return new RoundRobinRouter(targets, input);
  }
}

abstract class BaseRouter implements Router {
  constructor(
    protected readonly targets: readonly Receiver[],
    protected readonly input: number,
  ) {}

  abstract route(value: unknown, key: unknown): void;

  end(): void {
    for (const t of this.targets) t.upstreamEnded();
  }
}

class SingleRouter implements Router {
  constructor(
    private readonly target: Receiver,
    private readonly input: number,
  ) {}

  route(value: unknown, key: unknown): void {
    this.target.receive(value, key, this.input);
  }

  end(): void {
    this.target.upstreamEnded();
  }
}

class RoundRobinRouter extends BaseRouter {
  private next = 0;

  route(value: unknown, key: unknown): void {
    const target = this.targets[this.next] as Receiver;
    if (++this.next === this.targets.length) this.next = 0;
    target.receive(value, key, this.input);
  }
}

/** Primitive keys whose instance a hash router remembers (strings keep their engine-cached hash as Map keys). */
const ROUTE_CACHE_LIMIT = 65_536;

/**
 * Routes by key group (Flink's model): `keyGroup = hash(key) mod maxParallelism`, and the instance
 * `floor(keyGroup × parallelism / maxParallelism)` owns it, the same in every process.
 */
class HashRouter extends BaseRouter {
  private readonly cache = new Map<unknown, Receiver>();

  constructor(
    targets: readonly Receiver[],
    input: number,
    private readonly maxParallelism: number,
  ) {
    super(targets, input);
  }

  route(value: unknown, key: unknown): void {
    const target = this.cache.get(key) ?? this.pick(key);
    target.receive(value, key, this.input);
  }

  private pick(key: unknown): Receiver {
    const n = this.targets.length;
    const group = hashKey(key) % this.maxParallelism;
    const target = this.targets[instanceOfKeyGroup(group, n, this.maxParallelism)] as Receiver;
    if ((typeof key !== 'object' || key === null) && this.cache.size < ROUTE_CACHE_LIMIT) {
      this.cache.set(key, target);
    }
    return target;
  }
}

class BroadcastRouter extends BaseRouter {
  route(value: unknown, key: unknown): void {
    for (const t of this.targets) t.receive(value, key, this.input);
  }
}
