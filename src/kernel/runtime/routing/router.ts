import type { Partitioning } from '../physical-plan.js';
import { hashKey } from '../key/hash-key.js';
import { instanceOfKeyGroup } from '../key/key-group.js';
import type { Receiver } from './receiver.js';

/**
 * Sends the records of one upstream instance over one edge to the consumer's instances.
 *
 * @example
 * ```ts
 * const router = createRouter('hash', consumers, channels);
 * router.route(record, key, timestamp);
 * ```
 */
export interface Router {
  route(value: unknown, key: unknown, timestamp: number | undefined): void;
  /** Sends checkpoint barrier `id` to every consumer instance, behind the records already sent. */
  barrier(id: number): void;
  /** Sends a latency marker (emitted at scheduler time `emittedAt`) to every consumer instance, behind the records. */
  marker(emittedAt: number): void;
  /** Sends the event-time watermark `watermark` to every consumer instance, behind the records already sent. */
  watermark(watermark: number): void;
  /** Tells every consumer instance that this upstream instance went idle (`true`) or active again (`false`). */
  idleness(idle: boolean): void;
  /** The upstream instance completed: tells every consumer instance once. */
  end(): void;
}

/**
 * Builds the router for one edge from one upstream instance. `onEnd`, when given, runs after the consumers
 * were told of the end (the Dispatcher uses it for edges entering a feedback loop).
 *
 * @example
 * ```ts
 * const router = createRouter('hash', consumerTasks, consumerTasks.map((t) => t.addChannel(0, false)));
 * router.route(record, key, undefined); // always the same consumer for the same key
 * ```
 */
export function createRouter(
  partitioning: Partitioning,
  targets: readonly Receiver[],
  channels: readonly number[],
  onEnd?: () => void,
  maxParallelism = 128,
): Router {
  if (targets.length === 0 || channels.length !== targets.length)
    throw new RangeError('createRouter: an edge needs at least one consumer instance, and one channel each');
  const router = pick(partitioning, targets, channels, maxParallelism);
  if (onEnd === undefined) return router;
  return {
    route: (value, key, timestamp) => {
      router.route(value, key, timestamp);
    },
    barrier: (id) => {
      router.barrier(id);
    },
    marker: (emittedAt) => {
      router.marker(emittedAt);
    },
    watermark: (watermark) => {
      router.watermark(watermark);
    },
    idleness: (idle) => {
      router.idleness(idle);
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
  channels: readonly number[],
  maxParallelism: number,
): Router {
  if (targets.length === 1) return new SingleRouter(targets[0] as Receiver, channels[0] as number);
  switch (partitioning) {
    case 'hash':
      return new HashRouter(targets, channels, maxParallelism);
    case 'broadcast':
      return new BroadcastRouter(targets, channels);
    default:
      return new RoundRobinRouter(targets, channels);
  }
}

abstract class BaseRouter implements Router {
  constructor(
    protected readonly targets: readonly Receiver[],
    protected readonly channels: readonly number[],
  ) {}

  abstract route(value: unknown, key: unknown, timestamp: number | undefined): void;

  barrier(id: number): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).barrier(id, this.channels[i] as number);
    }
  }

  marker(emittedAt: number): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).marker?.(emittedAt, this.channels[i] as number);
    }
  }

  watermark(watermark: number): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).watermark?.(watermark, this.channels[i] as number);
    }
  }

  idleness(idle: boolean): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).idleness?.(idle, this.channels[i] as number);
    }
  }

  end(): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).upstreamEnded(this.channels[i] as number);
    }
  }
}

class SingleRouter implements Router {
  constructor(
    private readonly target: Receiver,
    private readonly channel: number,
  ) {}

  route(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.target.receive(value, key, this.channel, timestamp);
  }

  barrier(id: number): void {
    this.target.barrier(id, this.channel);
  }

  marker(emittedAt: number): void {
    this.target.marker?.(emittedAt, this.channel);
  }

  watermark(watermark: number): void {
    this.target.watermark?.(watermark, this.channel);
  }

  idleness(idle: boolean): void {
    this.target.idleness?.(idle, this.channel);
  }

  end(): void {
    this.target.upstreamEnded(this.channel);
  }
}

class RoundRobinRouter extends BaseRouter {
  private next = 0;

  route(value: unknown, key: unknown, timestamp: number | undefined): void {
    const i = this.next;
    if (++this.next === this.targets.length) this.next = 0;
    (this.targets[i] as Receiver).receive(value, key, this.channels[i] as number, timestamp);
  }
}

/** Primitive keys whose instance a hash router remembers (strings keep their engine-cached hash as Map keys). */
const ROUTE_CACHE_LIMIT = 65_536;

/**
 * Routes by key group (Flink's model): `keyGroup = hash(key) mod maxParallelism`, and the instance
 * `floor(keyGroup × parallelism / maxParallelism)` owns it, the same in every process.
 */
class HashRouter extends BaseRouter {
  private readonly cache = new Map<unknown, number>();

  constructor(
    targets: readonly Receiver[],
    channels: readonly number[],
    private readonly maxParallelism: number,
  ) {
    super(targets, channels);
  }

  route(value: unknown, key: unknown, timestamp: number | undefined): void {
    const i = this.cache.get(key) ?? this.pick(key);
    (this.targets[i] as Receiver).receive(value, key, this.channels[i] as number, timestamp);
  }

  private pick(key: unknown): number {
    const group = hashKey(key) % this.maxParallelism;
    const i = instanceOfKeyGroup(group, this.targets.length, this.maxParallelism);
    if ((typeof key !== 'object' || key === null) && this.cache.size < ROUTE_CACHE_LIMIT) {
      this.cache.set(key, i);
    }
    return i;
  }
}

class BroadcastRouter extends BaseRouter {
  route(value: unknown, key: unknown, timestamp: number | undefined): void {
    for (let i = 0; i < this.targets.length; i++) {
      (this.targets[i] as Receiver).receive(value, key, this.channels[i] as number, timestamp);
    }
  }
}
