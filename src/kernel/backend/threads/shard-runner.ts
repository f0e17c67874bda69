import { Subscription } from 'rxjs';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { PipelineBuildError } from '../../../errors/pipeline-build-error.js';
import { restoredInstance, type DispatcherOptions } from '../../runtime/dispatcher.js';
import { JobGate } from '../../runtime/job-gate.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import { findLoops } from '../../runtime/loop/find-loops.js';
import { LoopTracker } from '../../runtime/loop/loop-tracker.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { PhysicalPlan, PlanVertex } from '../../runtime/physical-plan.js';
import type { Receiver } from '../../runtime/routing/receiver.js';
import { createRouter, type Router } from '../../runtime/routing/router.js';
import { injectInflight } from '../../runtime/loop/inject-inflight.js';
import type { JsonData } from '../../runtime/state/json-codec.js';
import type { InstanceSnapshot } from '../../runtime/state/job-snapshot.js';
import { Task } from '../../runtime/task/task.js';
import type { TaskEnvironment } from '../../runtime/task/task-environment.js';
import { DEFAULT_CREDITS, Peer, type PeerStats } from './peer.js';
import type { PeerLink } from './peer-link.js';
import { Placement } from './placement.js';

/** How a shard is placed and how its records cross to the other shards. */
export interface ShardPlacement {
  /** This worker's index. */
  readonly worker: number;
  readonly workers: number;
  /** The link to each other worker (undefined at this worker's own index). */
  readonly links: readonly (PeerLink | undefined)[];
  /** Records per batch (default 1000). */
  readonly batchSize?: number;
  /** Batches in flight per direction (default {@link DEFAULT_CREDITS}). */
  readonly credits?: number;
}

/** A local instance's state, by operator name, with its index. */
export interface ShardState {
  readonly index: number;
  readonly operators: Record<string, InstanceSnapshot>;
}

/** This shard's part of checkpoint `id`: its instances' state and the records its loop heads recorded. */
export interface ShardCut {
  readonly id: number;
  readonly state: readonly ShardState[];
  /** Loop head's first operator → instance index → encoded `[value, key, input]` triples. */
  readonly inflight: Record<string, Record<string, readonly JsonData[]>>;
}

/**
 * The part of a job that runs in one worker: the instances the {@link Placement} assigns to it, wired exactly as
 * the in-process Dispatcher wires them (same channel numbers, same routing by key group), except that a consumer
 * on another worker is reached through the `Peer` of that worker (batches, credits, in-band barriers, watermarks
 * and end of stream), and a consumer fed from another worker counts that Peer among its pressure targets. Every
 * worker compiles the same plan, so they agree on task numbers and channels without exchanging them. A
 * feedback loop runs whole on one worker, with its tracker as in-process.
 *
 * Checkpoints use the in-process barrier protocol unchanged: on `checkpoint(id)` the shard injects the barrier
 * at its sources; barriers travel behind the records on every channel, across threads too, and each instance
 * aligns them and takes its cut. An instance that finished answers with its final state and sends the barrier
 * on behind its end of stream, so consumers on other workers still see a barrier on every channel. Once every
 * local instance took its cut, `onCut` gets this shard's part; the coordinator merges the parts.
 *
 * @example
 * ```ts
 * const shard = new ShardRunner(plan, options, { worker: 0, workers: 2, links: [undefined, link] });
 * shard.onCut((cut) => report(cut));
 * shard.build();   // on every worker first
 * shard.start();   // then start the sources
 * shard.checkpoint(1);
 * ```
 */
export class ShardRunner {
  private readonly gate = new JobGate();
  private readonly subscription = new Subscription();
  private readonly tasks: Task[] = [];
  private readonly byId = new Map<number, Task>();
  private readonly peers: (Peer | undefined)[];
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private readonly cutListeners: ((cut: ShardCut) => void)[] = [];
  private readonly routersOf = new Map<Task, readonly Router[]>();
  /** Tasks with no input (sources): where the barriers enter. */
  private readonly roots = new Set<Task>();
  /** Per local task id and channel: the loop tracker told when an outside producer's end arrives from a peer. */
  private readonly loopEntries = new Map<number, Map<number, LoopTracker>>();
  private readonly trackers: LoopTracker[] = [];
  /** Checkpoints this shard takes part in, by id, until its part is complete. */
  private readonly cuts = new Map<number, LocalCut>();
  /** The latest checkpoint whose part this shard completed. */
  private completedCut = 0;
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
            placement.credits ?? DEFAULT_CREDITS,
            options.scheduler,
            (id) => this.byId.get(id),
            () => this.congested(),
            (task, channel) => {
              this.loopEntries.get(task)?.get(channel)?.outsideEnded(1);
            },
          ),
    );
  }

  /** Calls `listener` once when every local instance finished, or the shard stopped or failed. */
  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** Calls `listener` with this shard's part of every checkpoint, once every local instance took its cut. */
  onCut(listener: (cut: ShardCut) => void): void {
    this.cutListeners.push(listener);
  }

  /** Creates and wires the local instances (call on every worker before any starts). */
  build(): void {
    const plan = this.plan;
    if (plan === undefined) throw new Error('ShardRunner.build: a shard is built once');
    const { worker, workers } = this.placement;
    const placement = new Placement(plan, workers);
    const env = this.taskEnvironment();
    const id = (v: PlanVertex, i: number): number => placement.taskId(v, i);
    for (const v of plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        if (placement.ownerOf(v, i) !== worker) continue;
        const task = new Task(v, i, env, (t) => {
          this.taskDone(t);
        });
        this.tasks.push(task);
        this.byId.set(id(v, i), task);
        if (v.inputs.every((e) => e.feedback)) this.roots.add(task);
      }
    }
    this.remaining = this.tasks.length;
    const loopOf = this.buildLoops(plan, placement);
    // Channel numbers as the Dispatcher hands them out: per consumer instance, in plan order of producers.
    const channelCount = new Map<number, number>();
    for (const v of plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        const producer = this.byId.get(id(v, i));
        const routers: Router[] = [];
        for (const edge of v.outputs) {
          const receivers: Receiver[] = [];
          const channels: number[] = [];
          const loop = loopOf.get(edge.to);
          const entersLoop = loop !== undefined && loopOf.get(v) !== loop;
          for (let j = 0; j < edge.to.parallelism; j++) {
            const target = id(edge.to, j);
            const channel = channelCount.get(target) ?? 0;
            channelCount.set(target, channel + 1);
            const local = this.byId.get(target);
            if (local !== undefined) {
              local.addChannel(edge.inputIndex, edge.feedback);
              if (entersLoop && producer === undefined) {
                const entries = this.loopEntries.get(target) ?? new Map<number, LoopTracker>();
                entries.set(channel, loop);
                this.loopEntries.set(target, entries);
              }
            }
            if (producer === undefined) continue;
            channels.push(channel);
            if (local !== undefined) receivers.push(local);
            else {
              const peer = this.peers[placement.ownerOf(edge.to, j)] as Peer;
              peer.addProducer(producer);
              receivers.push(peer.receiverFor(target));
            }
          }
          if (producer !== undefined) {
            routers.push(
              createRouter(
                edge.partitioning,
                receivers,
                channels,
                entersLoop ? outsideEnded(loop, receivers.length) : undefined,
                edge.to.maxParallelism,
              ),
            );
          }
        }
        if (producer !== undefined) this.routersOf.set(producer, routers);
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
        task.wire(
          this.routersOf.get(task) ?? [],
          [...pressureTargets],
          v.outputs.map((edge) => edge.sideOutput),
        );
      }
    }
    injectInflight(this.tasks, this.options.restore?.inflight);
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
    // Records a restored checkpoint saved on feedback edges wait in the loop heads' queues: run them.
    for (const task of this.tasks) if (task.queued > 0 && !task.done) task.wake();
    for (const tracker of this.trackers) tracker.check();
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

  /**
   * Takes part in checkpoint `id`: the barrier enters at the local sources; a finished instance answers with its
   * final state and sends the barrier on. A paused shard lets the records inside it flow to the cut (its sources
   * stay paused) and is paused again once its part is complete.
   */
  checkpoint(id: number): void {
    if (id <= this.completedCut || this.gate.stopped) return;
    const cut = this.cutOf(id);
    if (cut.started) return;
    cut.started = true;
    if (this.gate.paused && !this.gate.draining) {
      cut.draining = true;
      this.gate.drain();
    }
    for (const task of this.tasks) {
      if (task.done) {
        task.triggerCheckpoint(id);
        for (const r of this.routersOf.get(task) ?? []) r.barrier(id);
      } else if (this.roots.has(task)) task.triggerCheckpoint(id);
    }
    if (cut.draining) for (const task of this.tasks) if (!task.done) task.wake();
    this.checkCut(id);
  }

  /** Checkpoint `id` completed (stored): functions may commit what it covers. */
  checkpointComplete(id: number): void {
    if (this.outcome?.status === 'failed') return;
    for (const t of this.tasks) t.notifyCheckpointComplete(id);
  }

  /** The local instances' counters. */
  metrics(): OperatorMetrics[] {
    return this.tasks.flatMap((t) => t.slots.map((s) => s.metrics));
  }

  /** The counters of the channel to each other worker (undefined at this worker's own index). */
  peerStats(): (PeerStats | undefined)[] {
    return this.peers.map((p) => p?.stats());
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
    return this.tasks.map((t) => ({ index: t.index, operators: Object.fromEntries(t.captureState(true)) }));
  }

  private cutOf(id: number): LocalCut {
    let cut = this.cuts.get(id);
    if (cut === undefined) {
      cut = new LocalCut(id);
      this.cuts.set(id, cut);
    }
    return cut;
  }

  private ackCheckpoint(
    id: number,
    task: Task,
    state: ReadonlyMap<string, InstanceSnapshot>,
    inflight: readonly JsonData[] | undefined,
  ): void {
    if (id <= this.completedCut) return;
    const cut = this.cutOf(id);
    if (cut.acked.has(task)) return;
    cut.acked.add(task);
    cut.state.push({ index: task.index, operators: Object.fromEntries(state) });
    if (inflight !== undefined && inflight.length > 0) {
      (cut.inflight[task.headName] ??= {})[String(task.index)] = inflight;
    }
    this.checkCut(id);
  }

  /** Hands this shard's part of checkpoint `id` on once every local instance took its cut. */
  private checkCut(id: number): void {
    const cut = this.cuts.get(id);
    if (cut?.started !== true || cut.acked.size < this.tasks.length) return;
    this.cuts.delete(id);
    this.completedCut = Math.max(this.completedCut, id);
    if (cut.draining) this.gate.endDrain();
    for (const listener of this.cutListeners) {
      listener({ id, state: cut.state, inflight: cut.inflight });
    }
  }

  /**
   * Builds a tracker per feedback loop (all of a loop's instances run on one worker): it counts the records
   * inside the loop and releases the loop heads once the outside inputs ended and the loop is empty.
   */
  private buildLoops(plan: PhysicalPlan, placement: Placement): Map<PlanVertex, LoopTracker> {
    const loopOf = new Map<PlanVertex, LoopTracker>();
    for (const component of findLoops(plan.vertices)) {
      if (placement.ownerOf(component[0] as PlanVertex, 0) !== this.placement.worker) continue;
      const members = new Set(component);
      const heads = component.filter((v) => v.inputs.some((e) => e.feedback));
      if (heads.length === 0) {
        throw new PipelineBuildError(
          'The plan has a cycle without a feedback edge: close loops with fillFuture',
        );
      }
      let outside = 0;
      for (const v of component) {
        for (const e of v.inputs) if (!members.has(e.from)) outside += e.from.parallelism * v.parallelism;
      }
      const tasksOf = (v: PlanVertex): Task[] =>
        Array.from({ length: v.parallelism }, (_, i) => this.byId.get(placement.taskId(v, i)) as Task);
      const headTasks = heads.flatMap(tasksOf);
      const tracker = new LoopTracker(outside, releaseLoop(headTasks));
      this.trackers.push(tracker);
      for (const v of component) {
        loopOf.set(v, tracker);
        for (const t of tasksOf(v)) t.joinLoop(tracker, heads.includes(v));
      }
    }
    return loopOf;
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
      firstCheckpointId: o.firstCheckpointId ?? 1,
      services: o.services,
      loggerFor: (operator, instance) => o.loggerFor(operator, instance),
      fail: (operator, error) => {
        this.end({ status: 'failed', error: new JobFailedError(o.envName, operator, error) });
      },
      onEnd: (listener) => {
        if (o.jobEnd !== undefined) o.jobEnd(listener);
        else this.onEnd(listener);
      },
      ackCheckpoint: (id, task, state, inflight) => {
        this.ackCheckpoint(id, task, state, inflight);
      },
      restoredFor: (operator, index, parallelism, maxParallelism) =>
        restoredInstance(o.restore, operator, index, parallelism, maxParallelism),
    };
  }

  private taskDone(task: Task): void {
    // A barrier that came while the instance was finishing waits in its queue: take it now.
    if (task.queued > 0) task.wake();
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

/** This shard's part of one checkpoint while it is being taken. */
class LocalCut {
  started = false;
  draining = false;
  readonly acked = new Set<Task>();
  readonly state: ShardState[] = [];
  readonly inflight: Record<string, Record<string, readonly JsonData[]>> = {};

  constructor(readonly id: number) {}
}

/** The callback that completes the heads of a loop once its tracker released it. */
function releaseLoop(heads: readonly Task[]): () => void {
  return () => {
    for (const t of heads) t.releaseLoop();
  };
}

/** The callback a router runs when a producer on this worker ended towards `count` instances of a loop. */
function outsideEnded(loop: LoopTracker, count: number): () => void {
  return () => {
    loop.outsideEnded(count);
  };
}
