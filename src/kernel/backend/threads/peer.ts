import type { SchedulerLike } from 'rxjs';
import type { Receiver } from '../../runtime/routing/receiver.js';
import type { Task } from '../../runtime/task/task.js';
import {
  BARRIER,
  CHANNEL_SPAN,
  END,
  entryHeader,
  IDLENESS,
  MARKER,
  RECORD,
  WATERMARK,
  type PeerLink,
} from './peer-link.js';

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

/**
 * A peer's counters since it was made, for diagnosing a threads job (the threads bench prints them): batches and
 * records each way, why each batch went out, how often and how long the outbox waited for a credit, and how many
 * credits were withheld while local queues were full.
 *
 * @example
 * ```ts
 * const { sent, fullFlushes, starvedMs } = peer.stats();
 * ```
 */
export interface PeerStats {
  /** Batches sent. */
  readonly sent: number;
  /** Records (and in-band signals) sent. */
  readonly entriesSent: number;
  /** Batches received. */
  readonly received: number;
  /** Batches sent because they held `batchSize` entries. */
  readonly fullFlushes: number;
  /** Batches sent by the flush scheduled at the end of a burst of work (partial batches). */
  readonly timerFlushes: number;
  /** Batches sent because a barrier or an end of stream went in (or the shard ended). */
  readonly signalFlushes: number;
  /** Batches sent when a credit came back to a waiting outbox. */
  readonly creditFlushes: number;
  /** Times the credits ran out (the local producers were pressed). */
  readonly starvations: number;
  /** Scheduler ms spent without a credit. */
  readonly starvedMs: number;
  /** Credits held back because a local queue was at its high-water mark. */
  readonly withheld: number;
}

/** Why a batch went out (a counter of {@link PeerStats}). */
type FlushReason = 'fullFlushes' | 'timerFlushes' | 'signalFlushes' | 'creditFlushes';

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
  private readonly counters = {
    sent: 0,
    entriesSent: 0,
    received: 0,
    fullFlushes: 0,
    timerFlushes: 0,
    signalFlushes: 0,
    creditFlushes: 0,
    starvations: 0,
    starvedMs: 0,
    withheld: 0,
  };
  private starvedSince = 0;

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
    const at = (channel: number, op: number): number => entryHeader(op, task, channel, false);
    return {
      receive: (value, key, channel, timestamp) => {
        const buffer = this.buffer;
        if (timestamp === undefined) buffer.push(at(channel, RECORD), value, key);
        else buffer.push(at(channel, RECORD) + 1, value, key, timestamp);
        this.added();
      },
      barrier: (id, channel) => {
        this.buffer.push(at(channel, BARRIER), id);
        this.added();
        this.send('signalFlushes');
      },
      watermark: (watermark, channel) => {
        this.buffer.push(at(channel, WATERMARK), watermark);
        this.added();
      },
      idleness: (idle, channel) => {
        this.buffer.push(at(channel, IDLENESS), idle);
        this.added();
      },
      marker: (emittedAt, channel) => {
        this.buffer.push(at(channel, MARKER), emittedAt);
        this.added();
      },
      upstreamEnded: (channel) => {
        this.buffer.push(at(channel, END));
        this.added();
        this.send('signalFlushes');
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
    this.send('signalFlushes');
  }

  /** This peer's counters so far. */
  stats(): PeerStats {
    const c = this.counters;
    return this.starving
      ? { ...c, starvedMs: c.starvedMs + this.scheduler.now() - this.starvedSince }
      : { ...c };
  }

  private send(reason: FlushReason): void {
    if (this.count === 0) return;
    if (this.available === 0) {
      this.starve();
      return;
    }
    this.available--;
    const batch = this.buffer;
    const c = this.counters;
    c[reason]++;
    c.sent++;
    c.entriesSent += this.count;
    this.buffer = [];
    this.count = 0;
    this.link.send(batch);
    if (this.available === 0) this.starve();
  }

  /** One entry went into the outbox: send a full batch, or schedule the flush at the end of this burst. */
  private added(): void {
    if (++this.count >= this.batchSize) this.send('fullFlushes');
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.scheduler.schedule(() => {
        this.flushScheduled = false;
        this.send('timerFlushes');
      });
    }
  }

  private starve(): void {
    if (this.starving) return;
    this.starving = true;
    this.counters.starvations++;
    this.starvedSince = this.scheduler.now();
    for (const p of this.producers) p.addPressure();
  }

  private credit(): void {
    this.available++;
    if (this.count > 0) this.send('creditFlushes');
    if (this.starving && this.available > 0) {
      this.starving = false;
      this.counters.starvedMs += this.scheduler.now() - this.starvedSince;
      for (const p of this.producers) p.removePressure();
    }
  }

  private deliver(batch: unknown[]): void {
    this.counters.received++;
    for (let i = 0; i < batch.length;) {
      const header = batch[i++] as number;
      const low = header % 16;
      const op = low >> 1;
      const route = (header - low) / 16;
      const channel = route % CHANNEL_SPAN;
      const task = (route - channel) / CHANNEL_SPAN;
      const target = this.local(task);
      switch (op) {
        case RECORD: {
          const value = batch[i];
          const key = batch[i + 1];
          let timestamp: number | undefined;
          if ((low & 1) === 1) {
            timestamp = batch[i + 2] as number;
            i += 3;
          } else i += 2;
          target?.receive(value, key, channel, timestamp);
          break;
        }
        case END:
          if (target !== undefined) {
            target.upstreamEnded(channel);
            this.ended(task, channel);
          }
          break;
        case BARRIER:
          target?.barrier(batch[i++] as number, channel);
          break;
        case WATERMARK:
          target?.watermark?.(batch[i] as number, channel);
          i++;
          break;
        case IDLENESS:
          target?.idleness?.(batch[i] as boolean, channel);
          i++;
          break;
        case MARKER:
          target?.marker?.(batch[i] as number, channel);
          i++;
          break;
      }
    }
    if (!this.congested()) {
      this.link.grant();
      return;
    }
    this.withheld++;
    this.counters.withheld++;
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
