import type { JobGate } from '../job-gate.js';
import type { LoopTracker } from '../loop/loop-tracker.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { OperatorSpec, SourceControl, SourceDriver } from '../operator-spec.js';
import type { PlanVertex } from '../physical-plan.js';
import type { Receiver } from '../routing/receiver.js';
import type { Router } from '../routing/router.js';
import type { Step } from '../step.js';
import { OperatorSlot, type HoldOwner } from './operator-slot.js';
import { ScheduledWork } from './scheduled-work.js';
import type { TaskEnvironment } from './task-environment.js';

/**
 * One running instance of a plan vertex: it owns the fused step chain, the input queue, the count of
 * upstream instances still open, and the backpressure it exerts on its sources.
 *
 * Invariants: one record at a time (a record is finished when every async hold it took is released); FIFO
 * order of its input; completion exactly once, after every upstream instance ended and every queued record
 * was processed.
 *
 * @example
 * ```ts
 * const task = new Task(vertex, 0, env, (t) => dispatcher.taskDone(t));
 * task.wire(routers, upstreamCount, pressureTargets);
 * task.start();
 * ```
 */
export class Task implements Receiver, HoldOwner, SourceControl {
  /** Input index of the record being processed. */
  input = 0;
  /** One slot per operator of the chain (the source's first, when there is one). */
  readonly slots: OperatorSlot[] = [];

  private readonly head: Step<unknown>;
  private driver: SourceDriver | undefined;
  private readonly sourceSlot: OperatorSlot | undefined;
  private readonly sourceMetrics: OperatorMetrics | undefined;
  private readonly resumeLater: ScheduledWork;
  private readonly gate: JobGate;
  private readonly parallelism: number;
  private readonly maxParallelism: number;
  /** True when the vertex starts with a source. */
  readonly isSource: boolean;
  /** The end of the step chain: routes each output over the output edges (specialised at `wire`). */
  private readonly emitter: Step<unknown>;
  private routers: readonly Router[] = [];
  private pressureTargets: readonly Task[] = [];
  private queue: unknown[] = [];
  private queueHead = 0;
  private pending = 0;
  private processing = false;
  private openInputs = 0;
  private sourceOpen: boolean;
  private state: 'running' | 'finishing' | 'done' = 'running';
  private pressure = 0;
  private pressuring = false;
  private loop: LoopTracker | undefined;
  private loopHead = false;
  private loopReleased = false;
  private recordOpen = false;

  constructor(
    vertex: PlanVertex,
    readonly index: number,
    private readonly env: TaskEnvironment,
    private readonly onDone: (task: Task) => void,
  ) {
    this.gate = env.gate;
    this.parallelism = vertex.parallelism;
    const emitter: Step<unknown> = { next: () => undefined, complete: () => undefined };
    this.emitter = emitter;
    let step = emitter;
    const slots: OperatorSlot[] = [];
    this.maxParallelism = vertex.maxParallelism;
    for (let i = vertex.operators.length - 1; i >= 0; i--) {
      const spec = vertex.operators[i] as OperatorSpec;
      const slot = this.slotFor(spec.name, spec.errorPolicy, spec.keyed === true);
      slots.unshift(slot);
      step = spec.create(slot, step);
    }
    this.head = step;
    this.sourceOpen = vertex.source !== undefined;
    this.isSource = this.sourceOpen;
    if (vertex.source !== undefined) {
      this.sourceSlot = this.slotFor(vertex.source.name, vertex.source.errorPolicy, false);
      this.sourceMetrics = this.sourceSlot.metrics;
      slots.unshift(this.sourceSlot);
      this.driver = vertex.source.create(this.sourceSlot, this);
    }
    this.slots.push(...slots);
    this.resumeLater = new ScheduledWork(env.scheduler, env.subscription, () => {
      this.wake();
    });
  }

  /** Connects the instance: its output routers, how many upstream ends it waits for, whom to press. */
  wire(routers: readonly Router[], openInputs: number, pressureTargets: readonly Task[]): void {
    this.routers = routers;
    const only = routers.length === 1 ? routers[0] : undefined;
    this.emitter.next =
      only !== undefined
        ? (value, key) => {
            only.route(value, key);
          }
        : (value, key) => {
            for (let i = 0; i < routers.length; i++) (routers[i] as Router).route(value, key);
          };
    this.openInputs = openInputs;
    this.pressureTargets = pressureTargets;
  }

  /**
   * Makes this instance part of a feedback loop: its records are counted by `tracker`; a loop head (the
   * instance fed by the feedback edge) completes only once the tracker released the loop.
   */
  joinLoop(tracker: LoopTracker, head: boolean): void {
    this.loop = tracker;
    this.loopHead = head;
  }

  /** The loop this head belongs to is finished: complete as soon as the instance is idle. */
  releaseLoop(): void {
    this.loopReleased = true;
    this.checkDone();
  }

  /**
   * The job ended: runs `close()` of every function that has not closed yet (stop, failure) and forgets the
   * function objects and the source driver (and the data it reads), keeping counters and state.
   */
  closeFunctions(): void {
    this.driver = undefined;
    for (const slot of this.slots) void slot.closeFunction();
  }

  /** Starts the source (synchronously), or completes at once a vertex that has nothing to wait for. */
  start(): void {
    if (this.driver !== undefined) this.driver.start();
    else this.checkDone();
  }

  /** No async work of the current record is outstanding. */
  private get idle(): boolean {
    return this.pending === 0;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Records waiting in the input queue. */
  get queued(): number {
    return (this.queue.length - this.queueHead) / 3;
  }

  receive(value: unknown, key: unknown, input: number): void {
    if (this.loop !== undefined) this.loop.entered();
    if (this.processing || this.pending !== 0 || this.gate.halted || this.queueHead !== this.queue.length) {
      if (this.gate.stopped) return;
      this.enqueue(value, key, input);
      return;
    }
    this.run(value, key, input);
    if (this.queueHead !== this.queue.length) this.drain();
  }

  upstreamEnded(): void {
    this.openInputs--;
    this.checkDone();
  }

  hold(): void {
    this.pending++;
  }

  release(): void {
    if (--this.pending === 0 && !this.processing) {
      if (this.recordOpen) this.closeRecord();
      this.wake();
    }
  }

  ready(): boolean {
    return (
      !this.processing &&
      this.pending === 0 &&
      this.pressure === 0 &&
      !this.gate.halted &&
      this.state === 'running'
    );
  }

  emit(value: unknown): void {
    (this.sourceMetrics as OperatorMetrics).out++;
    this.run(value, undefined, 0);
    if (this.queueHead !== this.queue.length) this.drain();
  }

  end(): void {
    if (!this.sourceOpen) return;
    this.sourceOpen = false;
    this.checkDone();
  }

  /** Resumes work after a pause, a released hold or released pressure. */
  wake(): void {
    if (this.gate.stopped || this.gate.paused) return;
    if (this.state === 'finishing') {
      if (this.pending === 0) this.finishDownstream();
      return;
    }
    this.drain();
    if (this.driver !== undefined && this.sourceOpen && this.ready()) this.driver.resume();
    this.checkDone();
  }

  /** A downstream instance's queue is full: stop pulling (sources) or pass the pressure up. */
  addPressure(): void {
    if (this.pressure++ === 0 && this.driver === undefined) {
      for (const t of this.pressureTargets) t.addPressure();
    }
  }

  /** A downstream instance drained its queue. */
  removePressure(): void {
    if (--this.pressure !== 0) return;
    if (this.driver !== undefined) this.resumeLater.request(0);
    else for (const t of this.pressureTargets) t.removePressure();
  }

  private slotFor(name: string, policy: OperatorSpec['errorPolicy'], keyed: boolean): OperatorSlot {
    return new OperatorSlot(this.env, this, {
      operator: name,
      policy,
      parallelIndex: this.index,
      parallelism: this.parallelism,
      keyed,
      maxParallelism: this.maxParallelism,
    });
  }

  private run(value: unknown, key: unknown, input: number): void {
    this.processing = true;
    this.input = input;
    if (this.loop !== undefined) this.recordOpen = true;
    this.head.next(value, key);
    this.processing = false;
    if (this.recordOpen && this.idle) this.closeRecord();
  }

  private closeRecord(): void {
    this.recordOpen = false;
    (this.loop as LoopTracker).finished();
  }

  private enqueue(value: unknown, key: unknown, input: number): void {
    this.queue.push(value, key, input);
    if (!this.pressuring && this.queue.length - this.queueHead >= this.env.highWaterMark * 3) {
      this.pressuring = true;
      for (const t of this.pressureTargets) t.addPressure();
    }
  }

  private drain(): void {
    const q = this.queue;
    const gate = this.gate;
    while (
      this.queueHead < q.length &&
      this.pending === 0 &&
      !this.processing &&
      !gate.paused &&
      !gate.stopped
    ) {
      const h = this.queueHead;
      const value = q[h];
      const key = q[h + 1];
      const input = q[h + 2] as number;
      q[h] = q[h + 1] = undefined;
      this.queueHead = h + 3;
      this.run(value, key, input);
    }
    if (this.queueHead === q.length) {
      q.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 3072 && this.queueHead * 2 > q.length) {
      this.queue = q.slice(this.queueHead);
      this.queueHead = 0;
    }
    if (this.pressuring && this.queue.length - this.queueHead <= (this.env.highWaterMark >> 1) * 3) {
      this.pressuring = false;
      for (const t of this.pressureTargets) t.removePressure();
    }
  }

  private checkDone(): void {
    if (
      this.state !== 'running' ||
      this.openInputs > 0 ||
      (this.loopHead && !this.loopReleased) ||
      this.sourceOpen ||
      this.pending !== 0 ||
      this.processing ||
      this.queueHead !== this.queue.length ||
      this.gate.stopped ||
      this.gate.paused
    ) {
      return;
    }
    this.state = 'finishing';
    this.processing = true;
    this.head.complete();
    this.processing = false;
    if (this.idle) this.finishDownstream();
  }

  private finishDownstream(): void {
    if (this.state === 'done' || this.gate.stopped) return;
    this.state = 'done';
    for (const r of this.routers) r.end();
    this.onDone(this);
  }
}
