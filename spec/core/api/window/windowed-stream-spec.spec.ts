import { expect } from 'chai';
import {
  AllowedLatenessError,
  CountEvictor,
  CountTrigger,
  EventTimeSessionWindows,
  EventTimeTrigger,
  GlobalWindows,
  InvalidWindowSizeError,
  ProcessingTimeTrigger,
  PurgingTrigger,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  WindowedStreamSpecBuilder,
  WindowMergeError,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

const sum = (a: number, b: number): number => a + b;

describe('WindowedStreamSpecBuilder', () => {
  it('describes the step: assigner, its default trigger, no evictor, lateness 0, the function', () => {
    const assigner = TumblingEventTimeWindows.of(1_000);
    const spec = WindowedStreamSpecBuilder.window<number, string>(assigner).reduce(sum);
    expect(spec.assigner).to.equal(assigner);
    expect(spec.trigger).to.be.instanceOf(EventTimeTrigger);
    expect(spec.evictor).to.equal(undefined);
    expect(spec.allowedLateness).to.equal(0);
    expect(spec.lateTag).to.equal(undefined);
    expect(spec.fn).to.deep.equal({ kind: 'reduce', reduce: sum, windowFn: undefined });
    expect(Object.isFrozen(spec)).to.equal(true);
  });

  it('keeps trigger (object or class), evictor, lateness and late tag', () => {
    const tag = { id: 'late' };
    const evictor = CountEvictor.of(3);
    const spec = WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(1_000))
      .trigger(ProcessingTimeTrigger)
      .evictor(evictor)
      .allowedLateness(500)
      .sideOutputLateData(tag)
      .process(() => []);
    expect(spec.trigger).to.be.instanceOf(ProcessingTimeTrigger);
    expect(spec.evictor).to.equal(evictor);
    expect(spec.allowedLateness).to.equal(500);
    expect(spec.lateTag).to.equal(tag);
    expect(spec.fn.kind).to.equal('process');
  });

  it('countWindow(size) is GlobalWindows + PurgingTrigger(CountTrigger(size)): a result per size records', () => {
    const spec = WindowedStreamSpecBuilder.countWindow<number, string>(3).reduce(sum);
    expect(spec.assigner).to.be.instanceOf(GlobalWindows);
    expect(spec.trigger).to.be.instanceOf(PurgingTrigger);
    const { host } = windowHarness(spec);
    for (let v = 1; v <= 7; v++) host.process('a', v, 0);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(emittedAt(host)).to.deep.equal(['6@Infinity', '15@Infinity']);
  });

  it('countWindow(size, slide) is GlobalWindows + CountEvictor(size) + CountTrigger(slide)', () => {
    const spec = WindowedStreamSpecBuilder.countWindow<number, string>(3, 2).reduce(sum);
    expect(spec.trigger).to.be.instanceOf(CountTrigger);
    expect(spec.evictor).to.be.instanceOf(CountEvictor);
    const { host } = windowHarness(spec);
    for (let v = 1; v <= 6; v++) host.process('a', v, 0);
    expect(host.emitted.map((e) => e.value)).to.deep.equal([1 + 2, 2 + 3 + 4, 4 + 5 + 6]);
  });

  it('countWindow(size, slide) with a slide larger than the size samples, as in Flink: the last size of every slide records', () => {
    const { host } = windowHarness(WindowedStreamSpecBuilder.countWindow<number, string>(2, 3).reduce(sum));
    for (let v = 1; v <= 7; v++) host.process('a', v, 0);
    expect(host.emitted.map((e) => e.value)).to.deep.equal([2 + 3, 5 + 6]);
  });

  it('rejects bad counts, at the call', () => {
    expect(() => WindowedStreamSpecBuilder.countWindow(0)).to.throw(
      InvalidWindowSizeError,
      /countWindow needs a size/,
    );
    expect(() => WindowedStreamSpecBuilder.countWindow(3, 0)).to.throw(InvalidWindowSizeError, /slide/);
  });

  it('rejects allowedLateness that is negative, or on windows that are not in event time', () => {
    const tumbling = WindowedStreamSpecBuilder.window(TumblingEventTimeWindows.of(10));
    expect(() => tumbling.allowedLateness(-1)).to.throw(AllowedLatenessError, /≥ 0, got -1/);
    expect(() =>
      WindowedStreamSpecBuilder.window(TumblingProcessingTimeWindows.of(10)).allowedLateness(5),
    ).to.throw(AllowedLatenessError, /event-time windows only.*TumblingProcessingTimeWindows/);
    expect(() => WindowedStreamSpecBuilder.window(GlobalWindows.create()).allowedLateness(5)).to.throw(
      AllowedLatenessError,
    );
    expect(() =>
      WindowedStreamSpecBuilder.window(TumblingProcessingTimeWindows.of(10)).allowedLateness(0),
    ).not.to.throw();
  });

  it('session windows need an aggregate with merge', () => {
    const sessions = WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10));
    expect(() =>
      sessions.aggregate({
        createAccumulator: () => 0,
        add: (v: number, acc: number) => acc + v,
        getResult: (a) => a,
      }),
    ).to.throw(WindowMergeError, /give the aggregate a merge\(a, b\) function/);
  });
});
