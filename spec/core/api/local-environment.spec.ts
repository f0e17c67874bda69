import { expect } from 'chai';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../src/core/api/function/sink-function.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobStateError } from '../../../src/errors/job-state-error.js';
import { PipelineBuildError } from '../../../src/errors/pipeline-build-error.js';
import { collect } from '../../helpers/collect.js';
import { within } from '../../helpers/wait-for.js';

describe('LocalEnvironment', () => {
  let jm: JobManager;

  beforeEach(() => {
    jm = new JobManager();
  });

  it('runs the reference pipeline: [1..5] → map(x*2) → filter(x≠4) gives [2, 6, 8, 10]', async () => {
    const env = new LocalEnvironment('demo', { jobManager: jm });
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3, 4, 5])
      .map((x) => x * 2)
      .filter((x) => x !== 4)
      .sink((x) => {
        out.push(x);
      });
    const uuid = await env.submit({ autostop: true });
    expect(out).to.deep.equal([2, 6, 8, 10]);
    expect(uuid).to.equal(env.jobId);
    expect(jm.getJobStatus(uuid).status).to.equal('completed');
  });

  it("knows its job's uuid while submit runs the records, so a function can pause the job through it", async () => {
    const env = new LocalEnvironment('id-inside', { jobManager: jm, logLevel: 'silent' });
    const ids: (string | undefined)[] = [];
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3])
      .map((x) => {
        ids.push(env.jobId);
        if (x === 2) {
          const id = env.jobId as string;
          jm.pauseJob(id);
          setImmediate(() => jm.continueJob(id));
        }
        return x;
      })
      .sink((x) => {
        out.push(x);
      });
    const uuid = await env.submit({ autostop: true });
    expect(ids).to.deep.equal([uuid, uuid, uuid]);
    expect(out).to.deep.equal([1, 2, 3]);
  });

  it('keeps input order at parallelism 1 over a long chain', async () => {
    const env = new LocalEnvironment('order', { jobManager: jm });
    const input = Array.from({ length: 5000 }, (_, i) => i);
    const out = collect(
      env
        .fromBatch(input)
        .map((x) => x + 1)
        .filter(() => true)
        .map((x) => x - 1),
    );
    await env.submit({ autostop: true });
    expect(out).to.deep.equal(input);
  });

  it('names the job after the environment and wires it synchronously inside submit', () => {
    const env = new LocalEnvironment('sync-wiring', { jobManager: jm });
    const out = collect(env.fromBatch([1, 2, 3]));
    const pending = env.submit();
    expect(out).to.deep.equal([1, 2, 3]);
    const uuid = env.jobId as string;
    const status = jm.getJobStatus(uuid);
    expect(status.status).to.equal('completed');
    expect(status.status !== 'not_found' && status.name).to.equal('sync-wiring');
    return pending;
  });

  it('copies its config and keeps unknown keys for user code', () => {
    const config = { errorPolicy: 'skip' as const, custom: { table: 'users' } };
    const env = new LocalEnvironment('cfg', config);
    config.errorPolicy = 'fail' as 'skip';
    expect(env.config.errorPolicy).to.equal('skip');
    expect(env.config['custom']).to.deep.equal({ table: 'users' });
  });

  it('rejects an empty name and an unknown errorPolicy', () => {
    expect(() => new LocalEnvironment('')).to.throw(TypeError, /non-empty/);
    expect(() => new LocalEnvironment('x', { errorPolicy: 'ignore' as 'skip' })).to.throw(
      TypeError,
      /errorPolicy/,
    );
  });

  it('uses JobManager.default when none is given', () => {
    expect(new LocalEnvironment('d').jobManager).to.equal(JobManager.default);
  });

  it('rejects submit of a pipeline without a source with PipelineBuildError', async () => {
    const env = new LocalEnvironment('empty', { jobManager: jm });
    const error: unknown = await env.submit().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PipelineBuildError);
    expect((error as Error).message).to.match(/no source/);
  });

  it('refuses to submit after close()', async () => {
    const env = new LocalEnvironment('closed', { jobManager: jm });
    collect(env.fromBatch([1]));
    env.close();
    const error: unknown = await env.submit().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(JobStateError);
  });

  it('stop() stops the job it submitted last', async () => {
    const env = new LocalEnvironment('stoppable', { jobManager: jm });
    env.fromSource(() => 1, { delay: 1 }).sink(() => undefined);
    const uuid = await env.submit();
    expect(jm.getJobStatus(uuid).status).to.equal('running');
    env.stop();
    expect(jm.getJobStatus(uuid).status).to.equal('stopped');
  });

  describe('errors in user code', () => {
    it('skips a record that throws under the default policy, and counts it', async () => {
      const env = new LocalEnvironment('skip', { jobManager: jm, logLevel: 'silent' });
      const out = collect(
        env.fromBatch([1, 2, 3, 4]).map(
          (x) => {
            if (x === 2) throw new Error('bad record');
            return x === 3 ? undefined : x * 10;
          },
          { name: 'risky' },
        ),
      );
      const uuid = await env.submit({ autostop: true });
      expect(out).to.deep.equal([10, 40]);
      const status = jm.getJobStatus(uuid);
      if (status.status === 'not_found') throw new Error('job not found');
      const risky = status.operators.find((o) => o.operator === 'risky');
      expect(risky).to.include({ in: 4, out: 2, errors: 1, filtered: 1, dropped: 0 });
    });

    it("fails the job under errorPolicy 'fail' on the environment: JobFailedError with the original cause", async () => {
      const env = new LocalEnvironment('strict', { jobManager: jm, errorPolicy: 'fail', logLevel: 'silent' });
      const original = new Error('boom');
      env
        .fromBatch([1, 2, 3])
        .map(
          (x) => {
            if (x === 2) throw original;
            return x;
          },
          { name: 'explodes' },
        )
        .sink(() => undefined);
      const error: unknown = await within(
        env.submit({ autostop: true }).then(
          () => undefined,
          (e: unknown) => e,
        ),
        2000,
        'the failed job to settle',
      );
      expect(error).to.be.instanceOf(JobFailedError);
      expect((error as JobFailedError).cause).to.equal(original);
      expect((error as JobFailedError).operator).to.equal('explodes');
      expect((error as Error).message).to.include('boom');
      const status = jm.getJobStatus(env.jobId as string);
      expect(status.status).to.equal('failed');
      expect(status.status !== 'not_found' && status.error).to.include('boom');
    });

    it("fails the job under errorPolicy 'fail' on one operator only", async () => {
      const env = new LocalEnvironment('per-op', { jobManager: jm, logLevel: 'silent' });
      const original = new TypeError('per-operator');
      env
        .fromBatch([1, 2, 3])
        .map((x) => {
          if (x === 1) throw new Error('skipped');
          return x;
        })
        .map(
          (x) => {
            if (x === 3) throw original;
            return x;
          },
          { errorPolicy: 'fail' },
        )
        .sink(() => undefined);
      const error: unknown = await env.submit({ autostop: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(JobFailedError);
      expect((error as Error).cause).to.equal(original);
    });

    it('fails the job when an async map rejects under errorPolicy fail', async () => {
      const env = new LocalEnvironment('async-fail', {
        jobManager: jm,
        errorPolicy: 'fail',
        logLevel: 'silent',
      });
      const original = new Error('rejected');
      env
        .fromBatch([1, 2])
        .map((x) => (x === 2 ? Promise.reject(original) : Promise.resolve(x)))
        .sink(() => undefined);
      const error: unknown = await env.submit({ autostop: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error).cause).to.equal(original);
    });

    for (const policy of ['skip', 'fail'] as const) {
      it(`never hangs when a source throws (errorPolicy '${policy}')`, async () => {
        const env = new LocalEnvironment(`throwing-source-${policy}`, {
          jobManager: jm,
          errorPolicy: policy,
          logLevel: 'silent',
        });
        let n = 0;
        const out = collect(
          env.fromSource(() => {
            if (++n === 3) throw new Error('source broke');
            return n;
          }),
        );
        const outcome = await within(
          env.submit({ autostop: true }).then(
            () => 'completed',
            (e: unknown) => e,
          ),
          2000,
          'the job with a throwing source to end',
        );
        expect(out).to.deep.equal([1, 2]);
        if (policy === 'skip') expect(outcome).to.equal('completed');
        else expect((outcome as Error).cause).to.have.property('message', 'source broke');
      });

      it(`never hangs when a key selector throws (errorPolicy '${policy}')`, async () => {
        const env = new LocalEnvironment(`throwing-key-${policy}`, {
          jobManager: jm,
          errorPolicy: policy,
          logLevel: 'silent',
        });
        const out = collect(
          env
            .fromBatch([1, 2, 3, 4])
            .keyBy((x) => {
              if (x === 2) throw new Error('no key');
              return x % 2;
            })
            .map((x) => x, { parallelism: 2 }),
        );
        const outcome = await within(
          env.submit({ autostop: true }).then(
            () => 'completed',
            (e: unknown) => e,
          ),
          2000,
          'the job with a throwing key selector to end',
        );
        if (policy === 'skip') {
          expect(outcome).to.equal('completed');
          expect([...out].sort()).to.deep.equal([1, 3, 4]);
        } else {
          expect((outcome as Error).cause).to.have.property('message', 'no key');
        }
      });
    }
  });

  describe('function classes', () => {
    it('passes options.args to the constructor; every instance gets its own object', async () => {
      class Scale extends MapFunction<number, number> {
        static built = 0;
        constructor(private readonly factor: number) {
          super();
          Scale.built++;
        }
        execute(x: number): number {
          return x * this.factor;
        }
      }
      const env = new LocalEnvironment('args', { jobManager: jm });
      const out = collect(env.fromBatch([1, 2, 3, 4]).map(Scale, { args: [10], parallelism: 2 }));
      await env.submit({ autostop: true });
      expect([...out].sort((a, b) => a - b)).to.deep.equal([10, 20, 30, 40]);
      expect(Scale.built).to.equal(2);
    });

    it('types args after the constructor: a required argument must be given', () => {
      class Prefix extends MapFunction<string, string> {
        constructor(private readonly prefix: string) {
          super();
        }
        execute(s: string): string {
          return this.prefix + s;
        }
      }
      const env = new LocalEnvironment('typed', { jobManager: jm });
      const words = env.fromBatch(['a']);
      // @ts-expect-error Prefix needs its constructor argument
      words.map(Prefix);
      // @ts-expect-error the argument must be a string
      words.map(Prefix, { args: [1] });
      expect(() => words.map(Prefix, { args: ['>'] })).not.to.throw();
    });

    it('runs close() once per sink instance at end of stream', async () => {
      let closes = 0;
      const seen: number[] = [];
      class Collect extends SinkFunction<number> {
        execute(x: number): void {
          seen.push(x);
        }
        close(): void {
          closes++;
        }
      }
      const env = new LocalEnvironment('close', { jobManager: jm });
      env.fromBatch([1, 2, 3, 4, 5, 6]).sink(Collect, { parallelism: 3 });
      await env.submit({ autostop: true });
      expect(closes).to.equal(3);
      expect(seen).to.have.length(6);
    });
  });
});
