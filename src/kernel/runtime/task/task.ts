import type { SchedulerAction } from 'rxjs';
import type { JobGate } from '../job-gate.js';
import type { LoopTracker } from '../loop/loop-tracker.js';
import type { InstanceProbe } from '../metrics/instance-probe.js';
import { BucketCounts } from '../metrics/bucket-counts.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import { PROMETHEUS_LATENCY_BOUNDS_MS } from '../service/latency-histogram.js';
import type { OperatorSpec, SourceControl, SourceDriver } from '../operator-spec.js';
import type { PlanVertex } from '../physical-plan.js';
import type { Receiver } from '../routing/receiver.js';
import type { Router } from '../routing/router.js';
import { isArrayLoopStep, type ArrayCursor, type ArrayLoop } from '../source/array-loop.js';
import type { Step } from '../step.js';
import { encodeJson, type JsonData } from '../state/json-codec.js';
import type { InstanceSnapshot } from '../state/job-snapshot.js';
import { OperatorSlot, type HoldOwner } from './operator-slot.js';
import { ScheduledWork } from './scheduled-work.js';
import type { TaskEnvironment } from './task-environment.js';

/**
 * One running instance of a plan vertex: it owns the fused step chain, the input queue, the count of
 * upstream instances still open, and the backpressure it exerts on its sources.
 *
 * Invariants: one record at a time (a record is finished when every async hold it took is released); FIFO
 * order per channel (an upstream instance on one edge): records, checkpoint barriers and the end of stream of a
 * channel are handled in the order they were sent; completion exactly once, after every upstream instance
 * ended and every queued record was processed.
 *
 * Checkpoints (Carbone et al., asynchronous barrier snapshots, as Flink aligns them): a barrier waits behind
 * the records queued before it; once it arrived on a channel, that channel's later records are held back until
 * the barrier arrived on every other open channel (alignment); then the instance saves its state (every
 * operator's function state and keyed state), forwards the barrier on every output and lets the held records
 * go. A loop head does not block its feedback channels: it records the records that arrive on them after its
 * cut until the barrier comes back round, and they are saved with the checkpoint.
 *
 * Event time (Flink's model): watermarks travel in-band like barriers, behind the records sent before them. An
 * instance's input watermark is the minimum over its input channels that are neither idle nor ended (an ended
 * channel counts as `+Infinity`), and never goes back; it passes through the chain operator by operator (a
 * watermark generator stops it and sends its own), then to every output. The end of all input sends
 * `+Infinity` through the chain before `finish()`. Timers and periodic watermarks run between records
 * ({@link Task.runBetweenRecords}), in order with the queue.
 *
 * @example
 * ```ts
 * const task = new Task(vertex, 0, env, (t) => dispatcher.taskDone(t));
 * const channel = task.addChannel(0, false); // one per upstream instance and edge, used by its router
 * task.wire(routers, pressureTargets);
 * task.start();
 * ```
 */
export class Task implements Receiver, HoldOwner, SourceControl, InstanceProbe {
  /** Input index of the record being processed. */
  input = 0;
  /**
   * Set when a record took an async hold, pressed this instance or queued an input: an array loop
   * ({@link Task.emitArray}) stops after that record. Reset when a loop starts.
   */
  interrupted = false;
  /**
   * Set when the source's `out` counter is read inside a record (a Redis stage's `ctx.recordId`): an array loop
   * then counts each record as it emits it (see `LoopHost.countsEachRecord`).
   */
  countsEachRecord = false;
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
  private readonly vertexId: number;
  /** True when the vertex starts with a source. */
  readonly isSource: boolean;
  /** The end of the step chain: routes each output over the output edges (specialised at `wire`). */
  private readonly emitter: Step<unknown>;
  private routers: readonly Router[] = [];
  /** Routers of the side-output edges, by tag id. */
  private sideRouters: ReadonlyMap<string, readonly Router[]> = new Map();
  private pressureTargets: readonly Task[] = [];
  private queue: unknown[] = [];
  private queueHead = 0;
  private pending = 0;
  private processing = false;
  private openInputs = 0;
  /** Per channel: its input index, whether it is a feedback edge, whether it ended. */
  private readonly channelInput: number[] = [];
  private readonly channelFeedback: boolean[] = [];
  private readonly channelEnded: boolean[] = [];
  /** Per channel: its latest watermark and whether its upstream instance is idle. */
  private readonly channelWatermark: number[] = [];
  private readonly channelIdle: boolean[] = [];
  /** The watermark of the inputs (min over the active channels) and the one sent on: neither goes back. */
  private inputWatermark = -Infinity;
  private outputWatermark = -Infinity;
  /** Whether the outputs were told that this instance is idle. */
  private outputIdle = false;
  /** A watermark's way through the chain that waits for an awaited call (position, watermark), or -1. */
  private resumeFrom = -1;
  private resumeWatermark = -Infinity;
  /** True once the final watermark (`+Infinity`) went through the chain. */
  private finalWatermark = false;
  /** The checkpoint being aligned (NONE when none), which channels delivered its barrier, how many are left. */
  private alignId = NONE;
  private blocked: boolean[] = [];
  private awaitingBarriers = 0;
  /** The latest checkpoint this instance took its cut of: a barrier of it or of an earlier one is late. */
  private lastCut = 0;
  /** Records of blocked channels, held back until the alignment completes. */
  private held: unknown[] = [];
  /** A loop head's recording of its feedback channels after its cut. */
  private recording: FeedbackRecording | undefined;
  private sourceOpen: boolean;
  private state: 'running' | 'finishing' | 'done' = 'running';
  private pressure = 0;
  /** Scheduler time the current press began, and the time of the presses that ended (for the metrics). */
  private pressedSince = 0;
  private pressedTotal = 0;
  private pressuring = false;
  private loop: LoopTracker | undefined;
  private loopHead = false;
  private loopReleased = false;
  private recordOpen = false;
  /** The array loop fused with the chain (built at the first `emitArray`), or null when the chain has none. */
  private arrayLoop: ArrayLoop | null | undefined;

  constructor(
    vertex: PlanVertex,
    readonly index: number,
    private readonly env: TaskEnvironment,
    private readonly onDone: (task: Task) => void,
  ) {
    this.gate = env.gate;
    this.vertexId = vertex.id;
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
      step = buildIn(slot, () => spec.create(slot, step));
    }
    const offset = vertex.source !== undefined ? 1 : 0;
    slots.forEach((slot, i) => {
      slot.position = i + offset;
    });
    this.head = step;
    this.sourceOpen = vertex.source !== undefined;
    this.isSource = this.sourceOpen;
    if (vertex.source !== undefined) {
      this.sourceSlot = this.slotFor(vertex.source.name, vertex.source.errorPolicy, false);
      this.sourceMetrics = this.sourceSlot.metrics;
      slots.unshift(this.sourceSlot);
      const source = vertex.source;
      const sourceSlot = this.sourceSlot;
      this.driver = buildIn(sourceSlot, () => source.create(sourceSlot, this));
    }
    this.slots.push(...slots);
    this.resumeLater = new ScheduledWork(env.scheduler, env.subscription, () => {
      this.wake();
    });
  }

  /**
   * Opens a channel into this instance (one per upstream instance and edge) and returns its number. Feedback
   * channels carry no backpressure and are not waited for at the end of stream.
   */
  addChannel(input: number, feedback: boolean): number {
    this.channelInput.push(input);
    this.channelFeedback.push(feedback);
    this.channelEnded.push(false);
    this.channelWatermark.push(-Infinity);
    this.channelIdle.push(false);
    if (!feedback) this.openInputs++;
    return this.channelInput.length - 1;
  }

  /**
   * Connects the instance: its output routers, whom to press when its queue is full, and, per router, the id
   * of the side output it carries (`undefined` for the main output).
   */
  wire(
    allRouters: readonly Router[],
    pressureTargets: readonly Task[],
    sideOutputs: readonly (string | undefined)[] = [],
  ): void {
    this.routers = allRouters;
    const routers = allRouters.filter((_, i) => sideOutputs[i] === undefined);
    const side = new Map<string, Router[]>();
    allRouters.forEach((r, i) => {
      const tag = sideOutputs[i];
      if (tag !== undefined) side.set(tag, [...(side.get(tag) ?? []), r]);
    });
    this.sideRouters = side;
    const only = routers.length === 1 ? routers[0] : undefined;
    this.emitter.next =
      only !== undefined
        ? (value, key, timestamp) => {
            only.route(value, key, timestamp);
          }
        : (value, key, timestamp) => {
            for (let i = 0; i < routers.length; i++) (routers[i] as Router).route(value, key, timestamp);
          };
    this.pressureTargets = pressureTargets;
    if (allRouters.length === 0) {
      (this.slots[this.slots.length - 1] as OperatorSlot).metrics.latency = new BucketCounts(
        PROMETHEUS_LATENCY_BOUNDS_MS,
      );
    }
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
    for (const slot of this.slots) slot.started();
    if (this.driver !== undefined) {
      this.scheduleMarkers();
      this.driver.start();
    } else this.checkDone();
  }

  /** A latency marker arrived: it waits behind the records queued before it, like a barrier. */
  marker(emittedAt: number, channel: number): void {
    if (this.gate.stopped) return;
    if (this.channelFeedback[channel] === true) return;
    this.enqueue(MARKER, emittedAt, channel, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
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
    return (this.queue.length - this.queueHead) / 4;
  }

  /** Time this instance has spent pressed by a full downstream queue, in scheduler ms (the current press included). */
  pressedMs(): number {
    return this.pressedTotal + (this.pressure > 0 ? this.env.scheduler.now() - this.pressedSince : 0);
  }

  /** The job scheduler's time now, in ms. */
  now(): number {
    return this.env.scheduler.now();
  }

  receive(value: unknown, key: unknown, channel: number, timestamp: number | undefined): void {
    if (this.loop !== undefined) {
      this.loop.entered();
      if (this.recording !== undefined) {
        this.recording.record(value, key, channel, this.channelInput[channel] as number, timestamp);
      }
    }
    if (
      this.processing ||
      this.pending !== 0 ||
      this.gate.halted ||
      this.queueHead !== this.queue.length ||
      this.alignId !== NONE
    ) {
      if (this.gate.stopped) return;
      this.enqueue(value, key, channel, timestamp);
      if (this.alignId !== NONE && this.idle && !this.processing) this.drain();
      return;
    }
    this.run(value, key, timestamp, this.channelInput[channel] as number);
    if (this.queueHead !== this.queue.length) this.drain();
  }

  /** The watermark of `channel` rose: it waits behind the records queued before it. */
  watermark(watermark: number, channel: number): void {
    if (this.gate.stopped || this.channelFeedback[channel] === true) return;
    this.enqueue(WATERMARK, watermark, channel, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
  }

  /** The upstream instance of `channel` went idle or active again, in order with its records. */
  idleness(idle: boolean, channel: number): void {
    if (this.gate.stopped || this.channelFeedback[channel] === true) return;
    this.enqueue(IDLENESS, idle, channel, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
  }

  /**
   * Runs `fn` between two records of this instance, in order with what is queued (at once when the instance
   * is idle): how timers fire and watermark generators emit. Nothing runs once the instance finished or the
   * job stopped; while paused, `fn` waits for `continue`.
   */
  runBetweenRecords(fn: () => void): void {
    if (this.gate.stopped || this.state !== 'running') return;
    if (
      !this.processing &&
      this.pending === 0 &&
      !this.gate.halted &&
      this.queueHead === this.queue.length &&
      this.resumeFrom < 0
    ) {
      this.runCallback(fn);
      if (this.queueHead !== this.queue.length) this.drain();
      return;
    }
    this.enqueue(CALLBACK, fn, TRIGGER, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
  }

  /**
   * Sends watermark `watermark` through the chain from the operator at `from` on, then to every output. Each
   * operator takes it only when it is above the last one it saw; a watermark generator stops it. An operator
   * whose timers await a result holds it until they settled.
   */
  advanceWatermark(from: number, watermark: number, resumed = false): void {
    const slots = this.slots;
    for (let i = from; i < slots.length; i++) {
      const slot = slots[i] as OperatorSlot;
      if (!(resumed && i === from)) {
        if (!(watermark > slot.watermark)) return;
        slot.watermark = watermark;
      }
      const handler = slot.watermarkHandler;
      if (handler === undefined) continue;
      const was = this.processing;
      this.processing = true;
      const goOn = handler(watermark);
      this.processing = was;
      if (this.pending !== 0) {
        this.resumeFrom = i;
        this.resumeWatermark = watermark;
        return;
      }
      if (!goOn) return;
    }
    if (watermark > this.outputWatermark) {
      this.outputWatermark = watermark;
      if (this.outputIdle && watermark !== Infinity) this.sendIdleness(false);
      for (const r of this.routers) r.watermark(watermark);
    }
  }

  /** Tells the outputs that this instance went idle (or active again), once per change. */
  sendIdleness(idle: boolean): void {
    if (this.outputIdle === idle) return;
    this.outputIdle = idle;
    for (const r of this.routers) r.idleness(idle);
  }

  /** Sends one record on the side output `tag` (to the consumers of `getSideOutput(tag)`, if any). */
  emitSide(tag: string, value: unknown, key: unknown, timestamp: number | undefined): void {
    const routers = this.sideRouters.get(tag);
    if (routers === undefined) return;
    for (const r of routers) r.route(value, key, timestamp);
  }

  barrier(id: number, channel: number): void {
    if (this.gate.stopped) return;
    if (this.channelFeedback[channel] === true) {
      // A feedback channel is never blocked: its barrier ends the recording of that channel at once.
      this.recording?.close(id, channel);
      return;
    }
    this.enqueue(BARRIER, id, channel, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
  }

  upstreamEnded(channel: number): void {
    if (this.gate.stopped) return;
    if (this.channelFeedback[channel] === true) {
      this.channelEnded[channel] = true;
      this.recording?.close(this.recording.id, channel);
      return;
    }
    if (this.queueHead === this.queue.length && this.idle && !this.processing && !this.gate.halted) {
      this.channelDone(channel);
      return;
    }
    this.enqueue(END, undefined, channel, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
  }

  /**
   * Starts checkpoint `id` at this instance as if its barrier had arrived on every input (a source, or an
   * instance whose inputs have all ended): the cut is taken once the records queued before it are processed.
   */
  triggerCheckpoint(id: number): void {
    if (this.state === 'done') {
      this.env.ackCheckpoint(id, this, this.captureState(), undefined);
      return;
    }
    if (this.state === 'finishing') {
      if (id > this.lastCut) this.cut(id);
      return;
    }
    this.enqueue(BARRIER, id, TRIGGER, undefined);
    if (this.idle && !this.processing && !this.gate.halted) this.drain();
    else this.resumeLater.request(0);
  }

  /**
   * Puts records saved with a checkpoint (the feedback channel state of a loop head) back in the queue, as
   * `[value, key, input]` triples, where `input` is the input index or `[input, timestamp]` for a record that
   * carried an event timestamp.
   */
  inject(records: readonly unknown[]): void {
    for (let i = 0; i + 2 < records.length; i += 3) {
      if (this.loop !== undefined) this.loop.entered();
      const at = records[i + 2];
      if (Array.isArray(at)) {
        this.enqueue(records[i], records[i + 1], INJECTED - (at[0] as number), at[1] as number);
      } else {
        this.enqueue(records[i], records[i + 1], INJECTED - (at as number), undefined);
      }
    }
  }

  /**
   * The state of every operator of this instance (function state and keyed state), by operator name.
   * `final`: for the final snapshot of a finished job (see `OperatorSlot.snapshot`).
   */
  captureState(final = false): Map<string, InstanceSnapshot> {
    const out = new Map<string, InstanceSnapshot>();
    for (const slot of this.slots) out.set(slot.operatorName, slot.snapshot(final));
    return out;
  }

  /** Number of key groups of this vertex. */
  get maxKeyGroups(): number {
    return this.maxParallelism;
  }

  /** Checkpoint `id` completed: tells every function that implements `notifyCheckpointComplete(id)`. */
  notifyCheckpointComplete(id: number): void {
    for (const slot of this.slots) slot.notifyCheckpointComplete(id);
  }

  /** The name of the vertex's first operator (the one fed-back records re-enter). */
  get headName(): string {
    return (this.slots[0] as OperatorSlot).operatorName;
  }

  hold(): void {
    this.pending++;
    this.interrupted = true;
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
      !this.gate.sourcesHeld &&
      this.queueHead === this.queue.length &&
      this.resumeFrom < 0 &&
      this.state === 'running'
    );
  }

  emit(value: unknown): void {
    (this.sourceMetrics as OperatorMetrics).out++;
    this.run(value, undefined, undefined, 0);
    if (this.queueHead !== this.queue.length) this.drain();
  }

  /**
   * Emits an array source's items from `cursor.index` up to `end` as {@link Task.emit} would one by one, while
   * the instance stays ready. When the chain's head can fuse an array loop with the chain (a compiled step)
   * and the instance is not in a feedback loop, the records run in that one loop: it stops after a record that
   * took an async hold, pressed the instance or queued an input (`interrupted`), or when the job halted or
   * paused; what was queued meanwhile is then handled, in order, before the source pulls again.
   */
  emitArray(cursor: ArrayCursor, end: number): void {
    let loop = this.arrayLoop;
    if (loop === undefined) {
      const head = this.head;
      loop = this.arrayLoop = isArrayLoopStep(head)
        ? head.arrayLoop(this, this.sourceMetrics as OperatorMetrics)
        : null;
    }
    if (loop === null || this.loop !== undefined) {
      const items = cursor.items;
      do this.emit(items[cursor.index++]);
      while (cursor.index < end && this.ready());
      return;
    }
    this.interrupted = false;
    this.processing = true;
    this.input = 0;
    loop(cursor, end);
    this.processing = false;
    if (this.queueHead !== this.queue.length) this.drain();
  }

  /** True while this instance's source may still emit (false for an instance without a source). */
  get sourceRunning(): boolean {
    return this.sourceOpen;
  }

  end(): void {
    if (!this.sourceOpen) return;
    this.sourceOpen = false;
    this.checkDone();
  }

  /** Resumes work after a pause, a released hold or released pressure. */
  wake(): void {
    if (this.gate.halted) return;
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
    this.interrupted = true;
    if (this.pressure++ !== 0) return;
    this.pressedSince = this.env.scheduler.now();
    if (this.driver === undefined) {
      for (const t of this.pressureTargets) t.addPressure();
    }
  }

  /** A downstream instance drained its queue. */
  removePressure(): void {
    if (--this.pressure !== 0) return;
    this.pressedTotal += this.env.scheduler.now() - this.pressedSince;
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
      vertex: this.vertexId,
      probe: this,
    });
  }

  private run(value: unknown, key: unknown, timestamp: number | undefined, input: number): void {
    this.processing = true;
    this.input = input;
    if (this.loop !== undefined) this.recordOpen = true;
    this.head.next(value, key, timestamp);
    this.processing = false;
    if (this.recordOpen && this.idle) this.closeRecord();
  }

  private closeRecord(): void {
    this.recordOpen = false;
    (this.loop as LoopTracker).finished();
  }

  private enqueue(value: unknown, key: unknown, channel: number, timestamp: number | undefined): void {
    this.queue.push(value, key, channel, timestamp);
    this.interrupted = true;
    if (!this.pressuring && this.queue.length - this.queueHead >= this.env.highWaterMark * 4) {
      this.pressuring = true;
      for (const t of this.pressureTargets) t.addPressure();
    }
  }

  private drain(): void {
    const gate = this.gate;
    if (this.resumeFrom >= 0 && this.pending === 0 && !this.processing && !gate.halted) {
      const from = this.resumeFrom;
      this.resumeFrom = -1;
      this.advanceWatermark(from, this.resumeWatermark, true);
    }
    while (
      this.queueHead < this.queue.length &&
      this.pending === 0 &&
      !this.processing &&
      this.resumeFrom < 0 &&
      !gate.halted
    ) {
      const q = this.queue;
      const h = this.queueHead;
      const value = q[h];
      const key = q[h + 1];
      const channel = q[h + 2] as number;
      const timestamp = q[h + 3] as number | undefined;
      q[h] = q[h + 1] = q[h + 3] = undefined;
      this.queueHead = h + 4;
      if (value === BARRIER) this.barrierArrived(key as number, channel);
      else if (value === END) this.channelDone(channel);
      else if (value === MARKER) this.markerArrived(key as number);
      else if (value === CALLBACK) {
        if (this.state === 'running') this.runCallback(key as () => void);
      } else if (this.alignId !== NONE && this.blocked[channel] === true)
        this.held.push(value, key, channel, timestamp);
      else if (value === WATERMARK) this.watermarkArrived(key as number, channel);
      else if (value === IDLENESS) this.idlenessArrived(key as boolean, channel);
      else {
        this.run(
          value,
          key,
          timestamp,
          channel >= 0 ? (this.channelInput[channel] as number) : INJECTED - channel,
        );
      }
    }
    const q = this.queue;
    if (this.queueHead === q.length) {
      if (q.length !== 0) {
        q.length = 0;
        this.queueHead = 0;
      }
    } else if (this.queueHead > 4096 && this.queueHead * 2 > q.length) {
      this.queue = q.slice(this.queueHead);
      this.queueHead = 0;
    }
    if (this.pressuring && this.queue.length - this.queueHead <= (this.env.highWaterMark >> 1) * 4) {
      this.pressuring = false;
      for (const t of this.pressureTargets) t.removePressure();
    }
  }

  /**
   * With config `latencyTrackingIntervalMs`, a source instance emits a latency marker every that many ms of the
   * job's scheduler (Flink's LatencyMarker), until it is done or the job stops.
   */
  private scheduleMarkers(): void {
    const interval = this.env.config.latencyTrackingIntervalMs;
    if (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval)) return;
    const env = this.env;
    env.subscription.add(
      env.scheduler.schedule(
        function (this: SchedulerAction<Task>, task?: Task) {
          if (task === undefined || task.state === 'done' || task.gate.stopped) return;
          if (!task.gate.halted) for (const r of task.routers) r.marker(env.scheduler.now());
          this.schedule(task, interval);
        },
        interval,
        this,
      ),
    );
  }

  /** A latency marker reached this instance in its order: a sink records its age, others pass it on. */
  private markerArrived(emittedAt: number): void {
    if (this.routers.length === 0) {
      const metrics = (this.slots[this.slots.length - 1] as OperatorSlot).metrics;
      metrics.latency?.record(this.env.scheduler.now() - emittedAt);
      return;
    }
    for (const r of this.routers) r.marker(emittedAt);
  }

  /** A channel's end of stream was reached in its order. */
  private channelDone(channel: number): void {
    this.channelEnded[channel] = true;
    this.openInputs--;
    if (this.alignId !== NONE && this.blocked[channel] !== true) {
      this.blocked[channel] = true;
      if (--this.awaitingBarriers === 0) this.cut(this.alignId);
    }
    this.inputsChanged();
    this.checkDone();
  }

  private runCallback(fn: () => void): void {
    const was = this.processing;
    this.processing = true;
    fn();
    this.processing = was;
  }

  /** A channel's watermark arrived in its order. */
  private watermarkArrived(watermark: number, channel: number): void {
    this.channelIdle[channel] = false;
    if (watermark > (this.channelWatermark[channel] as number)) this.channelWatermark[channel] = watermark;
    this.inputsChanged();
  }

  /** A channel went idle or active again, in its order. */
  private idlenessArrived(idle: boolean, channel: number): void {
    const wasIdle = this.channelIdle[channel] === true;
    this.channelIdle[channel] = idle;
    this.inputsChanged(idle && !wasIdle ? channel : -1);
  }

  /**
   * Works out the input watermark again: the minimum over the channels that are neither idle, ended nor
   * feedback. When every open channel is idle, the instance is idle too (its outputs are told, unless a
   * watermark generator of the chain speaks for them); when every channel ended, it is `+Infinity`. When
   * `wentIdle` (a channel that just went idle) was the last active one and held the watermark, the highest
   * watermark of the idle channels goes on first (Flink's `StatusWatermarkValve` flushes it: no input holds
   * it back any more).
   */
  private inputsChanged(wentIdle = -1): void {
    let min = Infinity;
    let max = -Infinity;
    let active = false;
    let open = false;
    for (let c = 0; c < this.channelInput.length; c++) {
      if (this.channelFeedback[c] === true || this.channelEnded[c] === true) continue;
      open = true;
      const w = this.channelWatermark[c] as number;
      if (w > max) max = w;
      if (this.channelIdle[c] === true) continue;
      active = true;
      if (w < min) min = w;
    }
    if (open && !active) {
      if (
        wentIdle >= 0 &&
        (this.channelWatermark[wentIdle] as number) >= this.inputWatermark &&
        max > this.inputWatermark
      ) {
        this.inputWatermark = max;
        this.advanceWatermark(0, max);
      }
      if (!this.slots.some((s) => s.generatesWatermarks)) this.sendIdleness(true);
      return;
    }
    if (!this.slots.some((s) => s.generatesWatermarks)) this.sendIdleness(false);
    if (min > this.inputWatermark) {
      this.inputWatermark = min;
      this.advanceWatermark(0, min);
    }
  }

  /** Barrier `id` was reached on `channel` (TRIGGER: on every input at once). */
  private barrierArrived(id: number, channel: number): void {
    // A barrier behind the end of its channel (sent on by a finished producer, as across threads) may come
    // after this instance's cut: that checkpoint is taken already.
    if (id <= this.lastCut) return;
    if (channel === TRIGGER) {
      this.cut(id);
      return;
    }
    if (this.alignId !== id) {
      this.alignId = id;
      this.blocked = this.channelEnded.slice();
      this.awaitingBarriers = 0;
      for (let c = 0; c < this.blocked.length; c++) {
        if (this.channelFeedback[c] === true) this.blocked[c] = true;
        else if (this.blocked[c] !== true) this.awaitingBarriers++;
      }
      if (this.awaitingBarriers === 0) {
        // Every input ended before the barrier came: the cut is here.
        this.cut(id);
        return;
      }
    }
    if (this.blocked[channel] === true) return;
    this.blocked[channel] = true;
    if (--this.awaitingBarriers === 0) this.cut(id);
  }

  /**
   * The cut of checkpoint `id` at this instance: saves its state, forwards the barrier, lets held records go.
   * A loop head then records its feedback channels until the barrier comes back round on each.
   */
  private cut(id: number): void {
    this.lastCut = id;
    const state = new Map<string, InstanceSnapshot>();
    const copies: Promise<void>[] = [];
    for (const slot of this.slots) {
      slot.ctx.checkpointId = id + 1;
      const taken = slot.snapshotForCut();
      if (taken instanceof Promise) {
        copies.push(
          taken.then((s) => {
            state.set(slot.operatorName, s);
          }),
        );
      } else state.set(slot.operatorName, taken);
    }
    this.alignId = NONE;
    for (const r of this.routers) r.barrier(id);
    const feedback: number[] = [];
    for (let c = 0; c < this.channelFeedback.length; c++) {
      if (this.channelFeedback[c] === true && this.channelEnded[c] !== true) feedback.push(c);
    }
    const ack = (records: readonly JsonData[] | undefined): void => {
      if (copies.length === 0) this.env.ackCheckpoint(id, this, state, records);
      else {
        void Promise.all(copies).then(() => {
          this.env.ackCheckpoint(id, this, state, records);
        });
      }
    };
    if (feedback.length === 0) ack(undefined);
    else {
      this.recording = new FeedbackRecording(id, feedback, (records) => {
        this.recording = undefined;
        ack(records);
      });
    }
    if (this.held.length > 0) {
      const rest = this.queue.slice(this.queueHead);
      this.queue = this.held.concat(rest);
      this.queueHead = 0;
      this.held = [];
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
      this.resumeFrom >= 0 ||
      this.queueHead !== this.queue.length ||
      this.gate.stopped ||
      this.gate.paused
    ) {
      return;
    }
    if (!this.finalWatermark) {
      // The end of all input: every pending event-time timer fires before finish().
      this.finalWatermark = true;
      this.advanceWatermark(0, Infinity);
      if (!this.idle || this.resumeFrom >= 0 || this.queued > 0) return;
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
    this.recording?.abandon();
    for (const r of this.routers) r.end();
    this.onDone(this);
  }
}

/** No checkpoint is being aligned. */
const NONE = -1;
/** The channel of a barrier injected at the instance itself (a source, or an instance whose inputs ended). */
const TRIGGER = -1;
/** Re-injected records use the channels INJECTED - input (below TRIGGER), so their input index is kept. */
const INJECTED = -2;
/** Queue marker of a checkpoint barrier (its id goes in the key slot). */
const BARRIER: unique symbol = Symbol('barrier');
/** Queue marker of a latency marker (its emission time goes in the key slot). */
const MARKER: unique symbol = Symbol('latency-marker');
/** Queue marker of a channel's end of stream. */
const END: unique symbol = Symbol('end');
/** Queue marker of a channel's watermark (the watermark goes in the key slot). */
const WATERMARK: unique symbol = Symbol('watermark');
/** Queue marker of a channel's idleness change (true: idle, in the key slot). */
const IDLENESS: unique symbol = Symbol('idleness');
/** Queue marker of work to run between records (the function goes in the key slot). */
const CALLBACK: unique symbol = Symbol('between-records');

/**
 * A loop head's recording of the records that arrive on its feedback channels between its cut and the return
 * of the barrier on each of them: the channel state of the checkpoint (Chandy–Lamport).
 */
class FeedbackRecording {
  private readonly open: Set<number>;
  private readonly records: JsonData[] = [];
  private done = false;

  constructor(
    readonly id: number,
    channels: readonly number[],
    private readonly complete: (records: JsonData[]) => void,
  ) {
    this.open = new Set(channels);
  }

  /**
   * A record arrived: saved (as a copy) if its channel is still being recorded, with its event timestamp
   * (`[input, timestamp]` in the third slot) when it has one.
   */
  record(value: unknown, key: unknown, channel: number, input: number, timestamp: number | undefined): void {
    if (!this.open.has(channel)) return;
    this.records.push(
      encodeJson(value) as JsonData,
      encodeJson(key) as JsonData,
      timestamp === undefined ? input : [input, timestamp],
    );
  }

  /** The barrier came back on `channel` (or the channel ended): stop recording it. */
  close(id: number, channel: number): void {
    if (id !== this.id || !this.open.delete(channel) || this.open.size > 0 || this.done) return;
    this.done = true;
    this.complete(this.records);
  }

  /** The instance finished: what was recorded is all there will be. */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    this.complete(this.records);
  }
}

/**
 * Builds one operator of an instance (its function's constructor and `restoreState` run here). When that throws,
 * the job fails naming that operator, not just `submit`, and the error goes on up to `submit`.
 */
function buildIn<T>(slot: OperatorSlot, build: () => T): T {
  try {
    return build();
  } catch (e) {
    slot.failJob(e);
    throw e;
  }
}
