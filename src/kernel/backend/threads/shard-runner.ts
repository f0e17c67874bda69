import { Subscription } from 'rxjs';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import type { DispatcherOptions } from '../../runtime/dispatcher.js';
import { JobGate } from '../../runtime/job-gate.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { PhysicalPlan, PlanVertex } from '../../runtime/physical-plan.js';
import type { Receiver } from '../../runtime/routing/receiver.js';
import { createRouter } from '../../runtime/routing/router.js';
import type { InstanceSnapshot } from '../../runtime/state/job-snapshot.js';
import { Task } from '../../runtime/task/task.js';
import type { TaskEnvironment } from '../../runtime/task/task-environment.js';
import { Peer } from './peer.js';
import type { PeerLink } from './peer-link.js';

/**
 * The worker that runs instance `instance` of `vertex` among `workers`: `(instance + vertex.id) mod workers`,
 * which spreads parallelism-1 vertices. A fused chain is one vertex, so it never splits.
 *
 * @example
 * ```ts
 * ownerOf(vertex, 0, 2); // 0 or 1
 * ```
 */
export function ownerOf(vertex: PlanVertex, instance: number, workers: number): number {
  return (instance + vertex.id) % workers;
}

/** How a shard is placed and how its records cross to the other shards. */
export interface ShardPlacement {
  /** This worker's index. */
  readonly worker: number;
  readonly workers: number;
  /** The link to each other worker (undefined at this worker's own index). */
  readonly links: readonly (PeerLink | undefined)[];
  /** Records per batch (default 1000). */
  readonly batchSize?: number;
  /** Batches in flight per direction (default 8). */
  readonly credits?: number;
}

/** A local instance's final state, by operator name, with its index. */
export interface ShardState {
  readonly index: number;
  readonly operators: Record<string, InstanceSnapshot>;
}

/**
 * The part of a job that runs in one worker: the instances `ownerOf` assigns to it, wired exactly as the
 * in-process Dispatcher wires them (same channel numbers, same routing by key group), except that a consumer
 * on another worker is reached through the `Peer` of that worker (batches, credits, in-band end of stream), and
 * a consumer fed from another worker counts that Peer among its pressure targets. Every worker compiles the
 * same plan, so they agree on task numbers and channels without exchanging them. Plans with feedback loops are
 * not split (the coordinator refuses them).
 *
 * @example
 * ```ts
 * const shard = new ShardRunner(plan, options, { worker: 0, workers: 2, links: [undefined, link] });
 * shard.build();   // on every worker first
 * shard.start();   // then start the sources
 * ```
 */
export class ShardRunner {
  private readonly gate = new JobGate();
  private readonly subscription = new Subscription();
  private readonly tasks: Task[] = [];
  private readonly byId = new Map<number, Task>();
  private readonly peers: (Peer | undefined)[];
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private remaining = 0;
  private outcome: JobOutcome | undefined;
  private plan: PhysicalPlan | undefined;

  constructor(
    plan: PhysicalPlan,
    private readonly options: DispatcherOptions,
    private readonly placement: ShardPlacement,
  ) {
    this.plan = plan;
    this.peers = placement.links.map((link) =>
      link === undefined
        ? undefined
        : new Peer(
            link,
            placement.batchSize ?? 1000,
            placement.credits ?? 8,
            options.scheduler,
            (id) => this.byId.get(id),
            () => this.congested(),
          ),
    );
  }

  /** Calls `listener` once when every local instance finished, or the shard stopped or failed. */
  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** Creates and wires the local instances (call on every worker before any starts). */
  build(): void {
    const plan = this.plan;
    if (plan === undefined) throw new Error('ShardRunner.build: a shard is built once');
    const { worker, workers } = this.placement;
    const env = this.taskEnvironment();
    const offsets = new Map<PlanVertex, number>();
    let next = 0;
    for (const v of plan.vertices) {
      offsets.set(v, next);
      next += v.parallelism;
    }
    const id = (v: PlanVertex, i: number): number => (offsets.get(v) as number) + i;
    for (const v of plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        if (ownerOf(v, i, workers) !== worker) continue;
        const task = new Task(v, i, env, () => {
          this.taskDone();
        });
        this.tasks.push(task);
        this.byId.set(id(v, i), task);
      }
    }
    this.remaining = this.tasks.length;
    // Channel numbers as the Dispatcher hands them out: per consumer instance, in plan order of producers.
    const channelCount = new Map<number, number>();
    const routersOf = new Map<Task, ReturnType<typeof createRouter>[]>();
    for (const v of plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        const producer = this.byId.get(id(v, i));
        const routers: ReturnType<typeof createRouter>[] = [];
        for (const edge of v.outputs) {
          const receivers: Receiver[] = [];
          const channels: number[] = [];
          for (let j = 0; j < edge.to.parallelism; j++) {
            const target = id(edge.to, j);
            const channel = channelCount.get(target) ?? 0;
            channelCount.set(target, channel + 1);
            const local = this.byId.get(target);
            if (local !== undefined) local.addChannel(edge.inputIndex, edge.feedback);
            if (producer === undefined) continue;
            channels.push(channel);
            if (local !== undefined) receivers.push(local);
            else {
              const peer = this.peers[ownerOf(edge.to, j, workers)] as Peer;
              peer.addProducer(producer);
              receivers.push(peer.receiverFor(target));
            }
          }
          if (producer !== undefined) {
            routers.push(
              createRouter(edge.partitioning, receivers, channels, undefined, edge.to.maxParallelism),
            );
          }
        }
        if (producer !== undefined) routersOf.set(producer, routers);
      }
    }
    for (const v of plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        const task = this.byId.get(id(v, i));
        if (task === undefined) continue;
        // Local producers only: producers on other workers are held back by the credits their Peer withholds.
        const pressureTargets = new Set<Task>();
        for (const edge of v.inputs) {
          if (edge.feedback) continue;
          for (let j = 0; j < edge.from.parallelism; j++) {
            const producer = this.byId.get(id(edge.from, j));
            if (producer !== undefined) pressureTargets.add(producer);
          }
        }
        task.wire(routersOf.get(task) ?? [], [...pressureTargets]);
      }
    }
    this.plan = undefined;
  }

  /** Starts the local instances: consumers first, then the sources. */
  start(): void {
    if (this.tasks.length === 0) {
      this.end({ status: 'completed' });
      return;
    }
    for (const task of this.tasks) if (!task.isSource) task.start();
    for (const task of this.tasks) {
      if (this.outcome !== undefined) return;
      if (task.isSource) task.start();
    }
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
    for (const task of this.tasks) {
      if (this.gate.paused || this.outcome !== undefined) return;
      if (!task.done) task.wake();
    }
  }

  stop(): void {
    this.end({ status: 'stopped' });
  }

  /** The local instances' counters. */
  metrics(): OperatorMetrics[] {
    return this.tasks.flatMap((t) => t.slots.map((s) => s.metrics));
  }

  /** Records waiting in local queues and outboxes. */
  queued(): number {
    let n = 0;
    for (const t of this.tasks) n += t.queued;
    for (const p of this.peers) n += p?.pending ?? 0;
    return n;
  }

  /** The local instances' state now (function and keyed state), for the final snapshot of the job. */
  state(): ShardState[] {
    return this.tasks.map((t) => ({ index: t.index, operators: Object.fromEntries(t.captureState()) }));
  }

  /** True while a local instance's queue is at its high-water mark. */
  private congested(): boolean {
    const limit = this.options.highWaterMark ?? 1024;
    for (const t of this.tasks) if (t.queued >= limit) return true;
    return false;
  }

  private taskEnvironment(): TaskEnvironment {
    const o = this.options;
    return {
      envName: o.envName,
      config: o.config ?? {},
      jobId: o.jobId,
      scheduler: o.scheduler,
      gate: this.gate,
      subscription: this.subscription,
      errorPolicy: o.errorPolicy,
      highWaterMark: o.highWaterMark ?? 1024,
      firstCheckpointId: 1,
      services: o.services,
      loggerFor: (operator) => o.loggerFor(operator),
      fail: (operator, error) => {
        this.end({ status: 'failed', error: new JobFailedError(o.envName, operator, error) });
      },
      onEnd: (listener) => {
        this.onEnd(listener);
      },
      ackCheckpoint: () => undefined,
      restoredFor: () => undefined,
    };
  }

  private taskDone(): void {
    if (--this.remaining === 0) {
      for (const p of this.peers) p?.flush();
      this.end({ status: 'completed' });
    }
  }

  private end(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    if (outcome.status !== 'completed') this.gate.stop();
    this.subscription.unsubscribe();
    for (const task of this.tasks) task.closeFunctions();
    for (const listener of this.listeners.splice(0)) listener(outcome);
  }
}
