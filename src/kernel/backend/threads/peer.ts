import type { SchedulerLike } from 'rxjs';
import type { Receiver } from '../../runtime/routing/receiver.js';
import type { Task } from '../../runtime/task/task.js';
import { BARRIER, END, ENTRY, IDLENESS, MARKER, RECORD, WATERMARK, type PeerLink } from './peer-link.js';

/**
 * Batches in flight per direction between two workers unless the backend spec says otherwise. A credit comes
 * back only when the receiving worker's event loop gets to the batch, and a worker that runs a source holds its
 * event loop for a whole source slice (`SLICE_MS`, 8 ms) at a time; with sources on both workers (split by
 * `ctx.parallelIndex`) a credit's round trip is about two slices. At about a record per µs crossing each way,
 * that is some 16 batches of 1,000: with 8 credits both workers ran dry every round and pressed their sources
 * while the other was busy, which made split sources slower than one. 32 covers the round trip with room to
 * spare, and still bounds what is in flight to 32 batches per direction.
 *
 * @example
 * ```ts
 * const peer = new Peer(link, 1000, spec.credits ?? DEFAULT_CREDITS, scheduler, local, congested);
 * ```
 */
export const DEFAULT_CREDITS = 32;

/** What a peer needs to press and release: a local task's backpressure entry points. */
interface Pressable {
  addPressure(): void;
  removePressure(): void;
}

/**
 * This worker's side of the channel to one other worker. Sending: records for the other worker's instances
 * gather in an outbox, sent as one batch at `batchSize` records or once the current burst of work is over (on
 * the job's scheduler), so latency stays low when the flow is light. Each batch costs a credit; with none left
 * the local producers are pressed (a source stops pulling, an inner instance presses its own producers) until
 * a credit comes back: memory stays bounded by `credits` batches per direction. Receiving: each batch is
 * delivered into the local instances in order and a credit is granted back, unless a local instance's queue is
 * at its high-water mark: credits are then withheld until the queues drained (Flink's credit-based flow control).
 * Pressure thus crosses threads through credits only, never as a call into the other worker, so two workers
 * sending to each other cannot hold each other's credits. Records keep their key and event-time timestamp;
 * checkpoint barriers, watermarks, idleness changes, latency markers and the end of stream travel in-band,
 * behind the records sent before them on their channel, exactly as between two instances of one thread.
 *
 * @example
 * ```ts
 * const peer = new Peer(link, 1000, 8, scheduler, (id) => localTasks.get(id));
 * const receiver = peer.receiverFor(taskId); // used by a router like a local instance
 * ```
 */
export class Peer {
  private buffer: unknown[] = [];
  private count = 0;
  private available: number;
  private flushScheduled = false;
  private starving = false;
  private readonly producers = new Set<Pressable>();
  private withheld = 0;
  private recheck = false;
  /** Batches sent and received, for the metrics. */
  sent = 0;
  received = 0;

  constructor(
    private readonly link: PeerLink,
    private readonly batchSize: number,
    credits: number,
    private readonly scheduler: SchedulerLike,
    private readonly local: (task: number) => Receiver | undefined,
    /** True while a local instance's queue is at its high-water mark: credits are then withheld. */
    private readonly congested: () => boolean,
    /** Told after the end of stream of a channel was delivered to a local instance. */
    private readonly ended: (task: number, channel: number) => void = () => undefined,
  ) {
    this.available = credits;
    link.onBatch((batch) => {
      this.deliver(batch);
    });
    link.onGrant(() => {
      this.credit();
    });
  }

  /** A Receiver standing for the other worker's instance `task` (its global task number). */
  receiverFor(task: number): Receiver {
    return {
      receive: (value, key, channel, timestamp) => {
        this.push(RECORD, task, channel, value, key, timestamp);
      },
      barrier: (id, channel) => {
        this.push(BARRIER, task, channel, id, undefined, undefined);
        this.flush();
      },
      watermark: (watermark, channel) => {
        this.push(WATERMARK, task, channel, watermark, undefined, undefined);
      },
      idleness: (idle, channel) => {
        this.push(IDLENESS, task, channel, idle, undefined, undefined);
      },
      marker: (emittedAt, channel) => {
        this.push(MARKER, task, channel, emittedAt, undefined, undefined);
      },
      upstreamEnded: (channel) => {
        this.push(END, task, channel, undefined, undefined, undefined);
        this.flush();
      },
    };
  }

  /** A local instance that sends to this peer: it is pressed while no credit is left. */
  addProducer(task: Task): void {
    this.producers.add(task);
  }

  /** Records waiting in the outbox. */
  get pending(): number {
    return this.count;
  }

  /** Sends what the outbox holds now, if a credit is left. */
  flush(): void {
    if (this.count === 0) return;
    if (this.available === 0) {
      this.starve();
      return;
    }
    this.available--;
    const batch = this.buffer;
    this.buffer = [];
    this.count = 0;
    this.sent++;
    this.link.send(batch);
    if (this.available === 0) this.starve();
  }

  private push(
    op: number,
    task: number,
    channel: number,
    value: unknown,
    key: unknown,
    timestamp: number | undefined,
  ): void {
    this.buffer.push(op, task, channel, value, key, timestamp);
    if (++this.count >= this.batchSize) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.scheduler.schedule(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private starve(): void {
    if (this.starving) return;
    this.starving = true;
    for (const p of this.producers) p.addPressure();
  }

  private credit(): void {
    this.available++;
    if (this.count > 0) this.flush();
    if (this.starving && this.available > 0) {
      this.starving = false;
      for (const p of this.producers) p.removePressure();
    }
  }

  private deliver(batch: unknown[]): void {
    this.received++;
    for (let i = 0; i < batch.length; i += ENTRY) {
      const task = batch[i + 1] as number;
      const target = this.local(task);
      if (target === undefined) continue;
      const channel = batch[i + 2] as number;
      switch (batch[i]) {
        case RECORD:
          target.receive(batch[i + 3], batch[i + 4], channel, batch[i + 5] as number | undefined);
          break;
        case END:
          target.upstreamEnded(channel);
          this.ended(task, channel);
          break;
        case BARRIER:
          target.barrier(batch[i + 3] as number, channel);
          break;
        case WATERMARK:
          target.watermark?.(batch[i + 3] as number, channel);
          break;
        case IDLENESS:
          target.idleness?.(batch[i + 3] as boolean, channel);
          break;
        case MARKER:
          target.marker?.(batch[i + 3] as number, channel);
          break;
      }
    }
    if (!this.congested()) {
      this.link.grant();
      return;
    }
    this.withheld++;
    this.watch();
  }

  /** While local queues are full, looks again on every tick of the scheduler; then grants what was withheld. */
  private watch(): void {
    if (this.recheck) return;
    this.recheck = true;
    this.scheduler.schedule(() => {
      this.recheck = false;
      if (this.congested()) {
        this.watch();
        return;
      }
      for (; this.withheld > 0; this.withheld--) this.link.grant();
    }, 1);
  }
}
