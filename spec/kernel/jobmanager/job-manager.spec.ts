import { expect } from 'chai';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { SinkFunction } from '../../../src/core/api/function/sink-function.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { StopSignal } from '../../../src/kernel/runtime/stop-signal.js';
import type { JobStatus } from '../../../src/kernel/jobmanager/job-status.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { JobStateError } from '../../../src/errors/job-state-error.js';
import { SnapshotMismatchError } from '../../../src/errors/snapshot-mismatch-error.js';
import type { JobSnapshot } from '../../../src/kernel/runtime/state/job-snapshot.js';
import { collect } from '../../helpers/collect.js';
import { sleep, waitFor, within } from '../../helpers/wait-for.js';

function known(status: ReturnType<JobManager['getJobStatus']>): JobStatus {
  if (status.status === 'not_found') throw new Error(`job ${status.uuid} not found`);
  return status;
}

function expectGapFree(values: readonly number[]): void {
  const sorted = [...values].sort((a, b) => a - b);
  sorted.forEach((v, i) => {
    if (v !== i) expect.fail(`expected a gap-free, duplicate-free sequence; position ${i} holds ${v}`);
  });
}

describe('JobManager', () => {
  let jm: JobManager;

  beforeEach(() => {
    jm = new JobManager();
  });

  describe('pause / continue / stop / delete on an endless source', () => {
    for (const parallel of [false, true]) {
      it(`loses and repeats no record across many pauses${parallel ? ' (async map at parallelism 2)' : ''}`, async () => {
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
        const env = new LocalEnvironment('endless', { jobManager: jm });
        let n = 0;
        let limit = Infinity;
        env
          .fromSource(() => (n < limit ? n++ : new StopSignal()), { delay: 1 })
          .map((x) => (x % 3 === 0 ? Promise.resolve(x) : x), { parallelism: parallel ? 2 : 1 })
          .sink(Collect);
        const done = env.submit({ autostop: true });
        const uuid = env.jobId as string;
        expect(jm.getJobStatus(uuid).status).to.equal('running');
        for (let round = 0; round < 15; round++) {
          const target = seen.length + 20;
          await waitFor(() => seen.length >= target, { what: `round ${round}: 20 more records` });
          expect(jm.pauseJob(uuid).status).to.equal('paused');
          const atPause = seen.length;
          await sleep(2);
          expect(seen.length, 'records reached the sink while paused').to.equal(atPause);
          expect(jm.getJobStatus(uuid).status).to.equal('paused');
          expect(closes, 'close() must not run on pause').to.equal(0);
          expect(jm.continueJob(uuid).status).to.equal('running');
        }
        limit = n;
        await within(done, 2000, 'the source to end');
        expect(jm.getJobStatus(uuid).status).to.equal('completed');
        expect(closes).to.equal(1);
        expect(seen.length).to.equal(limit);
        if (parallel) expectGapFree(seen);
        else expect(seen).to.deep.equal(Array.from({ length: limit }, (_, i) => i));
      });
    }

    it('stops and deletes an endless job: stopped, then not_found', async () => {
      const env = new LocalEnvironment('endless-stop', { jobManager: jm });
      let n = 0;
      const out = collect(env.fromSource(() => n++, { delay: 1 }).map((x) => Promise.resolve(x)));
      const uuid = await env.submit();
      await waitFor(() => out.length >= 10);
      expect(jm.stopJob(uuid).status).to.equal('stopped');
      const atStop = out.length;
      await sleep(2);
      expect(out.length).to.equal(atStop);
      expect(jm.deleteJob(uuid)).to.deep.equal({ uuid, deleted: true });
      expect(jm.getJobStatus(uuid)).to.deep.equal({ uuid, status: 'not_found' });
      expect(() => jm.deleteJob(uuid)).to.throw(JobNotFoundError);
    });

    it('continues a paused job with the same function objects (state kept)', async () => {
      const env = new LocalEnvironment('stateful', { jobManager: jm });
      let n = 0;
      const objects = new Set<object>();
      const out = collect(
        env
          .fromSource(() => n++, { delay: 1 })
          .map(function (this: object, x: number) {
            objects.add(this);
            return x;
          }),
      );
      const uuid = await env.submit();
      await waitFor(() => out.length >= 5);
      jm.pauseJob(uuid);
      jm.continueJob(uuid);
      const resumedAt = out.length;
      await waitFor(() => out.length >= resumedAt + 5);
      jm.stopJob(uuid);
      expect(objects.size).to.equal(1);
    });

    it('throws JobNotFoundError for pause, continue, stop and delete of an unknown uuid', () => {
      expect(() => jm.pauseJob('nope')).to.throw(JobNotFoundError, /nope/);
      expect(() => jm.continueJob('nope')).to.throw(JobNotFoundError);
      expect(() => jm.stopJob('nope')).to.throw(JobNotFoundError);
      expect(() => jm.deleteJob('nope')).to.throw(JobNotFoundError);
      expect(jm.getJobStatus('nope')).to.deep.equal({ uuid: 'nope', status: 'not_found' });
    });

    it('refuses to delete a running job without force, and stops it with force', async () => {
      const env = new LocalEnvironment('running', { jobManager: jm });
      env.fromSource(() => 1, { delay: 1 }).sink(() => undefined);
      const uuid = await env.submit();
      expect(() => jm.deleteJob(uuid)).to.throw(JobStateError, /force/);
      expect(jm.getJobStatus(uuid).status).to.equal('running');
      jm.deleteJob(uuid, { force: true });
      expect(jm.getJobStatus(uuid).status).to.equal('not_found');
    });

    it('pausing or continuing an ended job changes nothing', async () => {
      const env = new LocalEnvironment('ended', { jobManager: jm });
      collect(env.fromBatch([1]));
      const uuid = await env.submit({ autostop: true });
      expect(jm.pauseJob(uuid).status).to.equal('completed');
      expect(jm.continueJob(uuid).status).to.equal('completed');
      expect(jm.stopJob(uuid).status).to.equal('completed');
    });

    it('resolves submit({ autostop: true }) when the job is stopped from outside', async () => {
      const env = new LocalEnvironment('stopped-outside', { jobManager: jm });
      env.fromSource(() => 1, { delay: 1 }).sink(() => undefined);
      const done = env.submit({ autostop: true });
      jm.stopJob(env.jobId as string);
      expect(await done).to.equal(env.jobId);
    });
  });

  describe('status', () => {
    it('reports per-operator counts (in/out/filtered/errors/dropped, last error), summed over instances', async () => {
      const env = new LocalEnvironment('counts', { jobManager: jm, logLevel: 'silent' });
      env
        .fromBatch([1, 2, 3, 4, 5, 6], { name: 'numbers' })
        .map(
          (x) => {
            if (x === 6) throw new Error('six');
            return x;
          },
          { name: 'guard', parallelism: 2 },
        )
        .filter((x) => x % 2 === 1, { name: 'odd', parallelism: 2 })
        .sink(() => undefined, { name: 'out' });
      const uuid = await env.submit({ autostop: true });
      const status = known(jm.getJobStatus(uuid));
      const byName = Object.fromEntries(status.operators.map((o) => [o.operator, o]));
      expect(byName['numbers']).to.include({ parallelism: 1, out: 6 });
      expect(byName['guard']).to.include({
        parallelism: 2,
        in: 6,
        out: 5,
        errors: 1,
        dropped: 0,
        lastError: 'six',
      });
      expect(byName['odd']).to.include({ parallelism: 2, in: 5, out: 3, filtered: 2, dropped: 0, errors: 0 });
      expect(byName['out']).to.include({ parallelism: 1, in: 3, out: 3 });
      expect(status).to.include({ uuid, name: 'counts', status: 'completed', autostop: true, queued: 0 });
      expect(Date.parse(status.startTime)).to.be.a('number').and.not.NaN;
      expect(status.endTime).to.be.a('string');
      expect(status.plan.length).to.be.greaterThan(0);
    });

    it('lists jobs in submission order and keeps finished jobs queryable', async () => {
      const first = new LocalEnvironment('first', { jobManager: jm });
      collect(first.fromBatch([1]));
      const a = await first.submit({ autostop: true });
      const second = new LocalEnvironment('second', { jobManager: jm });
      second.fromSource(() => 1, { delay: 1 }).sink(() => undefined);
      const b = await second.submit();
      expect(jm.listJobs().map((j) => [j.uuid, j.name, j.status])).to.deep.equal([
        [a, 'first', 'completed'],
        [b, 'second', 'running'],
      ]);
      expect(jm.healthCheck()).to.include({ status: 'healthy', jobs: 2, running: 1 });
      jm.stopJob(b);
      expect(jm.getJobStatus(a).status).to.equal('completed');
      expect(jm.getJobStatus(b).status).to.equal('stopped');
    });

    it('forgets the oldest finished jobs beyond maxFinishedJobs', async () => {
      const small = new JobManager(2);
      const uuids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const env = new LocalEnvironment(`job${i}`, { jobManager: small });
        collect(env.fromBatch([i]));
        uuids.push(await env.submit({ autostop: true }));
      }
      const env = new LocalEnvironment('trigger', { jobManager: small });
      collect(env.fromBatch([0]));
      await env.submit({ autostop: true });
      const left = small.listJobs().map((j) => j.name);
      expect(left.length).to.be.at.most(3);
      expect(left).not.to.include('job0');
      expect(small.getJobStatus(uuids[0] as string).status).to.equal('not_found');
    });

    it('reports the error message of a failed job', async () => {
      const env = new LocalEnvironment('failing', {
        jobManager: jm,
        errorPolicy: 'fail',
        logLevel: 'silent',
      });
      env
        .fromBatch([1])
        .map(() => {
          throw new Error('kaputt');
        })
        .sink(() => undefined);
      await env.submit({ autostop: true }).catch(() => undefined);
      const status = known(jm.getJobStatus(env.jobId as string));
      expect(status.status).to.equal('failed');
      expect(status.error).to.include('kaputt');
    });
  });

  it('submitJob runs any job description and rejects a bad one', async () => {
    const env = new LocalEnvironment('described', { jobManager: jm });
    const out = collect(env.fromBatch([1, 2]));
    const uuid = await jm.submitJob(
      { name: 'adhoc', config: {}, pipeline: env.pipeline },
      { autostop: true },
    );
    expect(out).to.deep.equal([1, 2]);
    expect(known(jm.getJobStatus(uuid)).name).to.equal('adhoc');
    const error: unknown = await jm
      .submitJob({ name: 'bad', config: {}, pipeline: [] })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
  });

  it('submit({ restore }) of something that is not a snapshot rejects with SnapshotMismatchError and starts nothing', async () => {
    const notSnapshots: unknown[] = [null, 42, 'snapshot', {}, { operators: 5 }, { operators: { sum: [7] } }];
    for (const restore of notSnapshots) {
      const env = new LocalEnvironment('restored', { jobManager: jm, logLevel: 'silent' });
      env.fromBatch([1], { name: 'numbers' }).sink(() => undefined, { name: 'out' });
      const error: unknown = await env
        .submit({ autostop: true, restore: restore as JobSnapshot })
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(restore)).to.be.instanceOf(SnapshotMismatchError);
      expect((error as Error).message).to.match(/restore must be a JobSnapshot .*, but /);
    }
    expect(jm.listJobs()).to.deep.equal([]);
  });
});
