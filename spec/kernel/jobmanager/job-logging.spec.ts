import { expect } from 'chai';
import { interval, take } from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { LogOptionsError } from '../../../src/errors/log-options-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import type { LogRecord } from '../../../src/kernel/runtime/log/log-record.js';
import { runMarbles } from '../../../src/testing/run-marbles.js';

const LINE =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO|WARN|ERROR) \[job [^\]]+ [0-9a-f]{8}\]( \[[^\]]+\])? /;

function failEvery(x: number): number {
  throw new Error(`record ${String(x)} is bad`);
}

describe('job logging', () => {
  it('5,000 failing records: each instance logs its first error with the stack and a summary, every line stamped', async () => {
    const records: LogRecord[] = [];
    const env = new LocalEnvironment('wordcount', {
      jobManager: new JobManager(),
      logSink: (r) => records.push(r),
    });
    env
      .fromBatch(Array.from({ length: 5000 }, (_, i) => i))
      .map(failEvery, { parallelism: 2, name: 'parse' })
      .sink(() => undefined);
    const uuid = await env.submit({ autostop: true });
    const fromMap = records.filter((r) => r.component === 'parse');
    expect(fromMap.length).to.be.within(2, 4);
    for (const r of records) {
      expect(r.line).to.match(LINE);
      expect(r.line).to.contain(`[job wordcount ${uuid.slice(0, 8)}]`);
      expect(r.jobId).to.equal(uuid);
    }
    for (const instance of [0, 1]) {
      const own = fromMap.filter((r) => r.instance === instance);
      expect(own[0]?.line).to.contain(
        `[parse#${String(instance)}] a record failed (errorPolicy 'skip'): Error: record`,
      );
      expect(own[0]?.message).to.match(/\n\s+at \S*failEvery /);
    }
    const counted = fromMap.reduce(
      (sum, r) => sum + Number(/^(\d+) more errors?/.exec(r.message)?.[1] ?? 1),
      0,
    );
    expect(counted).to.equal(5000);
  });

  it('in virtual time, a failing operator summarizes every errorSummaryIntervalMs of the job scheduler', async () => {
    const records: LogRecord[] = [];
    await runMarbles(
      ({ env }) => {
        env
          .fromObservable(interval(1).pipe(take(100)))
          .map(failEvery, { name: 'parse' })
          .sink(() => undefined);
        void env.submit();
      },
      { name: 'ticks', config: { logSink: (r) => records.push(r), errorSummaryIntervalMs: 30 } },
    );
    const fromMap = records.filter((r) => r.component === 'parse');
    // errors at frames 1..100: the first logged at once; the second (frame 2) arms a summary at 32, which runs
    // before that frame's record; that record arms 62, and so on; the last 9 are summarized when the job ends
    expect(fromMap.map((r) => r.time)).to.deep.equal([1, 32, 62, 92, 100]);
    expect(fromMap[0]?.line).to.match(
      /^1970-01-01T00:00:00\.001Z WARN \[job ticks [0-9a-f]{8}\] \[parse#0\] a record failed/,
    );
    expect(fromMap.slice(1).map((r) => /^(\d+) more/.exec(r.message)?.[1])).to.deep.equal([
      '30',
      '30',
      '30',
      '9',
    ]);
  });

  it("logLevel filters; 'info' shows the job's events and a function's own this.logger lines", async () => {
    class Loud extends MapFunction<number, number> {
      execute(x: number): number {
        this.logger.info(`saw ${String(x)}`);
        return x;
      }
    }
    const run = async (logLevel: 'silent' | 'warn' | 'info'): Promise<LogRecord[]> => {
      const records: LogRecord[] = [];
      const env = new LocalEnvironment('levels', {
        jobManager: new JobManager(),
        logLevel,
        logSink: (r) => records.push(r),
      });
      env
        .fromBatch([7])
        .map(Loud, { name: 'loud' })
        .sink(() => undefined);
      await env.submit({ autostop: true });
      return records;
    };
    expect(await run('silent')).to.deep.equal([]);
    expect(await run('warn')).to.deep.equal([]);
    const info = await run('info');
    expect(info.map((r) => [r.component ?? null, r.instance ?? null, r.message])).to.deep.equal([
      [null, null, 'submitted (1 vertices)'],
      ['loud', 0, 'saw 7'],
      [null, null, 'completed'],
    ]);
  });

  it("a job failed by errorPolicy 'fail' logs the failure at error level with the stack", async () => {
    const records: LogRecord[] = [];
    const env = new LocalEnvironment('strict', {
      jobManager: new JobManager(),
      errorPolicy: 'fail',
      logSink: (r) => records.push(r),
    });
    env
      .fromBatch([1])
      .map(failEvery)
      .sink(() => undefined);
    await env.submit({ autostop: true }).catch(() => undefined);
    const failed = records.find((r) => r.level === 'error');
    expect(failed?.line).to.match(/ERROR \[job strict [0-9a-f]{8}\] failed: /);
    expect(failed?.message).to.match(/record 1 is bad[\s\S]*\n\s+at /);
  });

  it('bad logging options throw LogOptionsError saying what to pass', () => {
    const jobManager = new JobManager();
    expect(() => new LocalEnvironment('x', { jobManager, logLevel: 'loud' as never })).to.throw(
      LogOptionsError,
      /logLevel must be one of 'trace'.*got string "loud"/,
    );
    expect(() => new LocalEnvironment('x', { jobManager, logSink: 'stdout' as never })).to.throw(
      LogOptionsError,
      /logSink must be a function/,
    );
    expect(() => new LocalEnvironment('x', { jobManager, errorSummaryIntervalMs: 0 })).to.throw(
      LogOptionsError,
      /errorSummaryIntervalMs must be a positive number/,
    );
  });
});
