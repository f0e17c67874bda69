import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../../../src/errors/backend-unavailable-error.js';
import { JobModuleError } from '../../../src/errors/job-module-error.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { hashModuleFile } from '../../../src/kernel/jobmanager/job-origin.js';
import { reportOf } from '../../fixtures/jobs/keyed-sum.js';

const KEYED_SUM = new URL('../../fixtures/jobs/keyed-sum.ts', import.meta.url);

describe('LocalEnvironment.fromModule', () => {
  it('imports a TypeScript job module, runs its builder with the args and keeps where it came from', async () => {
    const jobManager = new JobManager();
    const env = await LocalEnvironment.fromModule(KEYED_SUM, {
      args: { n: 40, keys: 4, report: 'from-module' },
      config: { jobManager },
    });
    expect(env.name).to.equal('keyed-sum');
    expect(env.origin).to.deep.equal({
      module: KEYED_SUM.href,
      exportName: 'default',
      args: { n: 40, keys: 4, report: 'from-module' },
      moduleHash: await hashModuleFile(fileURLToPath(KEYED_SUM)),
    });
    await env.submit({ autostop: true });
    const out = reportOf('from-module');
    expect(out).to.have.length(40);
    expect(out.filter(([k]) => k === 3).map(([, c]) => c)).to.deep.equal(
      [...Array(10).keys()].map((i) => i + 1),
    );
  });

  it('names the environment after a named export, or as asked; accepts a path', async () => {
    const path = fileURLToPath(KEYED_SUM);
    expect((await LocalEnvironment.fromModule(path, { export: 'random' })).name).to.equal('random');
    expect((await LocalEnvironment.fromModule(KEYED_SUM.href, { name: 'mine' })).name).to.equal('mine');
  });

  it('fails with JobModuleError for a missing export or a builder that throws', async () => {
    const missing = await LocalEnvironment.fromModule(KEYED_SUM, { export: 'nope' }).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(JobModuleError);
    expect((missing as Error).message)
      .to.include('"nope"')
      .and.include('function exports: default, random');
    const throwing = new URL('../../fixtures/jobs/throws-while-building.ts', import.meta.url);
    const thrown = await LocalEnvironment.fromModule(throwing).catch((e: unknown) => e);
    expect(thrown).to.be.instanceOf(JobModuleError);
    expect((thrown as Error).message).to.include('threw while building');
  });

  it('fails with JobModuleError (not a bare ENOENT) for a module file that does not exist', async () => {
    const missing = new URL('../../fixtures/jobs/no-such-job.ts', import.meta.url);
    const e = await LocalEnvironment.fromModule(missing).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(JobModuleError);
    expect((e as Error).message)
      .to.include('no-such-job.ts')
      .and.include('ENOENT')
      .and.include('existing module file');
  });

  it('fails with JobModuleError for args that are not JSON, naming where (workers get them as JSON)', async () => {
    const e = await LocalEnvironment.fromModule(KEYED_SUM, {
      args: { n: 3, report: (() => 'x') as unknown as string },
    }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(JobModuleError);
    expect((e as Error).message)
      .to.include('args.report is a function')
      .and.include("a job module's args must be JSON");
  });

  it('an inline job has no origin; asking it for the threads backend fails with BackendUnavailableError', async () => {
    const env = new LocalEnvironment('inline', { jobManager: new JobManager() });
    env.fromBatch([1, 2, 3]).sink(() => undefined);
    expect(env.origin).to.equal(undefined);
    const e = await env.submit({ backend: { kind: 'threads', workers: 2 } }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(BackendUnavailableError);
    expect((e as Error).message)
      .to.include('built inline')
      .and.include('LocalEnvironment.fromModule')
      .and.include('export default function build(env, args)');
    expect(env.jobId).to.equal(undefined);
  });

  it("runs in-process when the backend is 'in-process', inline or not", async () => {
    const out: number[] = [];
    const env = new LocalEnvironment('inline', { jobManager: new JobManager() });
    env.fromBatch([1, 2]).sink((x) => {
      out.push(x);
    });
    await env.submit({ backend: 'in-process', autostop: true });
    expect(out).to.deep.equal([1, 2]);
  });
});
