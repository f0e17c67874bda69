import { expect } from 'chai';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import { ProcessFunction } from '../../../../src/core/api/function/process-function.js';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { OutputTag } from '../../../../src/core/api/time/output-tag.js';
import type { TimeDomain } from '../../../../src/core/api/time/time-domain.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { InvalidDurationError } from '../../../../src/errors/invalid-duration-error.js';
import { InvalidFunctionError } from '../../../../src/errors/invalid-function-error.js';
import { UnkeyedTimerError } from '../../../../src/errors/unkeyed-timer-error.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

interface Reading {
  readonly sensor: string;
  readonly value: number;
}

/** Alerts when a sensor sent no reading for `silenceMs` of processing time (one timer per key, moved on). */
class Silence extends KeyedProcessFunction<string, Reading, string> {
  constructor(private readonly silenceMs: number) {
    super();
  }
  processElement(r: Reading): undefined {
    const timers = this.ctx.timerService;
    const due = this.ctx.state.value<number | undefined>('due');
    const old = due.get();
    if (old !== undefined) timers.deleteProcessingTimeTimer(old);
    const next = timers.currentProcessingTime() + this.silenceMs;
    timers.registerProcessingTimeTimer(next);
    due.set(next);
    this.ctx.state.value('last', 0).set(r.value);
    return undefined;
  }
  override onTimer(time: number): string {
    this.ctx.state.value<number | undefined>('due').clear();
    return `${String(this.ctx.getKey())} silent at ${time} (last ${this.ctx.state.value('last', 0).get()})`;
  }
}

describe('process functions and timers', () => {
  it('processing-time timers fire on the job scheduler, in their key context; a deleted timer never fires', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const readings = hot<Reading>('a-b---a-----------------------------|', {
        a: { sensor: 'a', value: 1 },
        b: { sensor: 'b', value: 2 },
      });
      const out = env
        .fromObservable(readings)
        .keyBy((r) => r.sensor)
        .process(Silence, { args: [10] })
        .toObservable();
      // a's first timer (10) was deleted by its second reading at 6; b fires at 12, a at 16
      expectObservable(out).toBe('12ms x 3ms y 19ms |', {
        x: 'b silent at 12 (last 2)',
        y: 'a silent at 16 (last 1)',
      });
    });
  });

  it('timers are deduplicated per key and time; onTimer gets the domain; its outputs carry its time as timestamp', async () => {
    const out: [string, number | undefined][] = [];
    class Twice extends KeyedProcessFunction<string, string, string> {
      processElement(): undefined {
        this.ctx.timerService.registerEventTimeTimer(500);
        this.ctx.timerService.registerEventTimeTimer(500);
        this.ctx.timerService.registerProcessingTimeTimer(7);
        return undefined;
      }
      override onTimer(time: number, domain: TimeDomain): string {
        return `${String(this.ctx.getKey())}:${time}:${domain}`;
      }
    }
    await runMarbles(({ env, cold }) => {
      env
        .fromObservable(cold('a-a-b-----------|'))
        .keyBy((s) => s)
        .process(Twice)
        .sink(function (this: SinkFunction<string>, s: string) {
          out.push([s, this.ctx.timestamp()]);
        });
      void env.submit();
    });
    expect(out).to.deep.equal([
      ['a:7:processing', 7],
      ['b:7:processing', 7],
      ['a:500:event', 500],
      ['b:500:event', 500],
    ]);
  });

  it('ctx.timestamp() is the record event time; element outputs inherit it; collect and return both emit', async () => {
    const env = new LocalEnvironment('stamps');
    const out: [string, number | undefined][] = [];
    env
      .fromBatch([1, 2, 3])
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x * 10),
      )
      .process(function (this: ProcessFunction<number, string>, x: number) {
        this.collect(`seen ${x} at ${String(this.ctx.timestamp())}`);
        return `x${x}`;
      })
      .sink(function (this: SinkFunction<string>, s: string) {
        out.push([s, this.ctx.timestamp()]);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([
      ['x1', 10],
      ['seen 1 at 10', 10],
      ['x2', 20],
      ['seen 2 at 20', 20],
      ['x3', 30],
      ['seen 3 at 30', 30],
    ]);
  });

  it('finish() runs at the end of input after the final watermark, may emit, and close() runs after it', async () => {
    const events: string[] = [];
    class Sum extends KeyedProcessFunction<string, number, string> {
      processElement(x: number): undefined {
        const sum = this.ctx.state.value('sum', 0);
        sum.set(sum.get() + x);
        this.ctx.timerService.registerEventTimeTimer(x);
        return undefined;
      }
      override onTimer(time: number): string {
        events.push(`timer ${time}`);
        return `timer ${time}`;
      }
      finish(): string {
        events.push('finish');
        this.collect('also from finish');
        return 'finished';
      }
      close(): void {
        events.push('close');
      }
    }
    const env = new LocalEnvironment('finish');
    const out: string[] = [];
    env
      .fromBatch([3, 1, 2])
      .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x))
      .keyBy(() => 'k')
      .process(Sum)
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(events).to.deep.equal(['timer 1', 'timer 2', 'timer 3', 'finish', 'close']);
    expect(out).to.deep.equal(['timer 1', 'timer 2', 'timer 3', 'finished', 'also from finish']);
  });

  it('an async processElement or onTimer keeps order and key context', async () => {
    class Slow extends KeyedProcessFunction<number, number, string> {
      async processElement(x: number): Promise<string> {
        this.ctx.timerService.registerEventTimeTimer(x);
        await Promise.resolve();
        return `e${x}:${String(this.ctx.getKey())}`;
      }
      override async onTimer(time: number): Promise<string> {
        await Promise.resolve();
        return `t${time}:${String(this.ctx.getKey())}`;
      }
    }
    const env = new LocalEnvironment('async');
    const out: string[] = [];
    env
      .fromBatch([2, 1])
      .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x))
      .keyBy((x) => x * 10)
      .process(Slow)
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal(['e2:20', 'e1:10', 't1:10', 't2:20']);
  });

  it('side outputs: ctx.output(tag, x) feeds getSideOutput(tag) only; unconsumed tags are dropped', async () => {
    const negative = new OutputTag<number>('negative');
    const zero = new OutputTag<number>('zero');
    class Split extends ProcessFunction<number, number> {
      processElement(x: number): number | undefined {
        if (x < 0) this.ctx.output(negative, x);
        else if (x === 0) this.ctx.output(zero, x);
        else return x;
        return undefined;
      }
    }
    for (const parallelism of [1, 3]) {
      const env = new LocalEnvironment('side');
      const main: number[] = [];
      const side: number[] = [];
      const split = env.fromBatch([1, -1, 2, 0, -2, 3]).process(Split, { parallelism });
      split.sink((x) => {
        main.push(x);
      });
      split
        .getSideOutput(negative)
        .map((x) => x * 10)
        .sink((x) => {
          side.push(x);
        });
      await env.submit({ autostop: true });
      expect([...main].sort((p, q) => p - q)).to.deep.equal([1, 2, 3]);
      expect([...side].sort((p, q) => p - q)).to.deep.equal([-20, -10]);
    }
  });

  it('side outputs keep key and timestamp, also when the process step has no main consumer', async () => {
    const late = new OutputTag<string>('late');
    const env = new LocalEnvironment('side-keyed');
    const out: [string, unknown, number | undefined][] = [];
    env
      .fromBatch(['a', 'b'])
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.noWatermarks<string>().withTimestampAssigner((s) => s.charCodeAt(0)),
      )
      .keyBy((s) => s.toUpperCase())
      .process(function (this: ProcessFunction<string, never>, s: string) {
        this.ctx.output(late, s);
      })
      .getSideOutput(late)
      .sink(function (this: SinkFunction<string>, s: string) {
        out.push([s, this.ctx.getKey(), this.ctx.timestamp()]);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([
      ['a', 'A', 97],
      ['b', 'B', 98],
    ]);
  });

  it('bad input fails at the call: timers without keys, a KeyedProcessFunction on an unkeyed stream, bad times', async () => {
    class Keyed extends KeyedProcessFunction<string, number, number> {
      processElement(x: number): number {
        return x;
      }
    }
    const env = new LocalEnvironment('bad', { logLevel: 'silent', errorPolicy: 'fail' });
    expect(() => env.fromBatch([1]).process(Keyed)).to.throw(UnkeyedTimerError, /keyBy/);
    expect(() => env.fromBatch([1]).process(42 as never)).to.throw(InvalidFunctionError);
    expect(() =>
      env
        .fromBatch([1])
        .map((x) => x)
        .getSideOutput(new OutputTag('x')),
    ).to.throw(InvalidFunctionError);
    expect(() => new OutputTag('')).to.throw(InvalidFunctionError);
    env.fromBatch([1]).process(function (this: ProcessFunction<number, number>) {
      this.ctx.timerService.registerEventTimeTimer(5);
    });
    const failure = await env.submit({ autostop: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure as Error).cause).to.be.instanceOf(UnkeyedTimerError);

    const env2 = new LocalEnvironment('bad-time', { logLevel: 'silent', errorPolicy: 'fail' });
    env2
      .fromBatch([1])
      .keyBy((x) => x)
      .process(function (this: ProcessFunction<number, number>) {
        this.ctx.timerService.registerProcessingTimeTimer(Number.NaN);
      });
    const failure2 = await env2.submit({ autostop: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure2 as Error).cause).to.be.instanceOf(InvalidDurationError);
  });

  it('bad watermark settings fail at the call', () => {
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(-1)).to.throw(InvalidDurationError, /-1/);
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(Number.NaN)).to.throw(InvalidDurationError);
    expect(() => WatermarkStrategy.forMonotonousTimestamps().withIdleness(-5)).to.throw(
      InvalidDurationError,
      /milliseconds > 0, got number -5/,
    );
    expect(() => WatermarkStrategy.forMonotonousTimestamps().withIdleness(0)).to.throw(InvalidDurationError);
    expect(() => WatermarkStrategy.noWatermarks().withTimestampAssigner(3 as never)).to.throw(
      InvalidFunctionError,
    );
    const env = new LocalEnvironment('interval', { autoWatermarkIntervalMs: 0 });
    expect(() =>
      env.fromBatch([1]).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps()),
    ).to.throw(InvalidDurationError, /autoWatermarkIntervalMs/);
    expect(() => env.fromBatch([1]).assignTimestampsAndWatermarks({} as never)).to.throw(
      InvalidFunctionError,
    );
  });
});
