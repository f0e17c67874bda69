import { expect } from 'chai';
import fc from 'fast-check';
import log from 'loglevel';
import { VirtualTimeScheduler } from 'rxjs';
import { ErrorReporter } from '../../../../src/kernel/runtime/log/error-reporter.js';
import type { LogRecord } from '../../../../src/kernel/runtime/log/log-record.js';
import { recordLogger } from '../../../../src/kernel/runtime/log/record-logger.js';

let loggerCount = 0;

function setup(intervalMs: number): {
  reporter: ErrorReporter;
  records: LogRecord[];
  scheduler: VirtualTimeScheduler;
} {
  const scheduler = new VirtualTimeScheduler();
  const records: LogRecord[] = [];
  const name = `spec:error-reporter:${String(loggerCount++)}`;
  const logger = recordLogger({
    name,
    sink: (r) => records.push(r),
    now: () => scheduler.now(),
    component: 'map',
    instance: 1,
  });
  Reflect.deleteProperty(log.getLoggers(), name);
  return { reporter: new ErrorReporter(logger, scheduler, intervalMs, 'skip'), records, scheduler };
}

/** Errors at the given virtual times, then the end of the job. */
function run(intervalMs: number, times: readonly number[]): LogRecord[] {
  const { reporter, records, scheduler } = setup(intervalMs);
  const byTime = new Map<number, number[]>();
  times.forEach((t, i) => {
    byTime.set(t, [...(byTime.get(t) ?? []), i]);
  });
  for (const [t, errors] of byTime) {
    scheduler.schedule(() => {
      for (const i of errors) reporter.report(new Error(`bad ${String(i)}`), 'a record');
    }, t);
  }
  const end = times.length === 0 ? 0 : Math.max(...times) + 1;
  scheduler.schedule(() => {
    reporter.flush();
  }, end);
  scheduler.flush();
  return records;
}

describe('ErrorReporter', () => {
  it('logs the first error with its stack, then one summary per interval, never one line per error', () => {
    const times = Array.from({ length: 5000 }, (_, i) => Math.floor(i / 100)); // 5,000 errors over 50 ms
    const records = run(20, times);
    expect(records[0]?.message).to.match(/^a record failed \(errorPolicy 'skip'\): Error: bad 0\n\s+at /);
    expect(records[0]?.line).to.match(/^1970-01-01T00:00:00\.000Z WARN \[map#1\] a record failed/);
    const summaries = records.slice(1);
    // the second error (t=0) arms a summary at t=20 (after that frame's errors); the next error, at t=21, arms
    // t=41; the end of the job (t=50) flushes the rest
    expect(summaries.map((r) => r.time)).to.deep.equal([20, 41, 50]);
    expect(summaries[0]?.message).to.match(
      /^\d+ more errors \(\d+ in all, errorPolicy 'skip'\); last: a record: bad \d+$/,
    );
    expect(summaries[2]?.message).to.match(/in all.*last: a record: bad 4999$/);
    expect(summaries[2]?.message).to.contain('(5000 in all');
  });

  it('a single error is one line; nothing is pending at the end', () => {
    const records = run(10_000, [5]);
    expect(records).to.have.length(1);
    expect(records[0]?.level).to.equal('warn');
  });

  it('property: the summaries count every error but the first once, at most one per interval, in time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 150 }),
        (intervalMs, unsorted) => {
          const times = [...unsorted].sort((a, b) => a - b);
          const records = run(intervalMs, times);
          if (times.length === 0) return records.length === 0;
          const summaries = records.slice(1).map((r) => ({
            time: r.time,
            more: Number(/^(\d+) more error/.exec(r.message)?.[1]),
          }));
          const counted = summaries.reduce((sum, s) => sum + s.more, 0);
          const end = (times[times.length - 1] ?? 0) + 1;
          const spaced = summaries.every((s, i) => i === 0 || s.time - (summaries[i - 1]?.time ?? 0) >= 1);
          // model: an error not yet summarized is summarized at most `intervalMs` after it, or at the end
          const inTime = times
            .slice(1)
            .every((t) => summaries.some((s) => s.time >= t && s.time <= Math.min(t + intervalMs, end)));
          const bound = Math.ceil((end - (times[0] ?? 0)) / intervalMs) + 1;
          return counted === times.length - 1 && spaced && inTime && summaries.length <= bound;
        },
      ),
      { numRuns: 100 },
    );
  });
});
