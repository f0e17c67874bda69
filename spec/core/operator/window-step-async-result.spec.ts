import { expect } from 'chai';
import {
  AsyncWindowResultError,
  JobFailedError,
  JobManager,
  LocalEnvironment,
  type ErrorPolicy,
} from '../../../src/index.js';

async function run(
  errorPolicy: ErrorPolicy,
  build: (env: LocalEnvironment, out: unknown[]) => void,
): Promise<{ out: unknown[]; error: unknown; jm: JobManager }> {
  const jm = new JobManager();
  const env = new LocalEnvironment('async-window', { jobManager: jm, logLevel: 'silent', errorPolicy });
  const out: unknown[] = [];
  build(env, out);
  let error: unknown;
  await env.submit({ autostop: true }).catch((e: unknown) => {
    error = e;
  });
  return { out, error, jm };
}

const escaped: unknown[] = [];
const onRejection = (e: unknown): void => {
  escaped.push(e);
};

describe('a window function that returns a Promise', () => {
  before(() => {
    process.on('unhandledRejection', onRejection);
  });
  after(() => {
    process.off('unhandledRejection', onRejection);
  });

  it("an async process window function: AsyncWindowResultError per firing under 'skip', its rejection handled", async () => {
    const { out, error, jm } = await run('skip', (env, out) => {
      env
        .fromBatch([1, 2, 3, 4])
        .keyBy((x) => x % 2)
        .countWindow(2)
        .process(
          // the types refuse an async window function; plain JavaScript (or a cast) does not
          (async (_k: unknown, _w: unknown, xs: readonly number[]) => {
            await Promise.resolve();
            if (xs.includes(3)) throw new Error('async window broke');
            return xs;
          }) as unknown as (k: unknown, w: unknown, xs: readonly number[]) => number[],
          { name: 'w' },
        )
        .sink((x) => {
          out.push(x);
        });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(escaped).to.deep.equal([]);
    expect(error).to.equal(undefined);
    expect(out).to.deep.equal([]);
    const w = jm.listJobs()[0]?.operators.find((o) => o.operator === 'w');
    expect(w?.errors).to.equal(2);
    expect(w?.lastError).to.match(/returned a Promise/);
  });

  it("a reduce's window function returning a rejected Promise under 'fail': the job fails with AsyncWindowResultError", async () => {
    const { error } = await run('fail', (env, out) => {
      env
        .fromBatch([1, 2])
        .keyBy(() => 0)
        .countWindow(2)
        .reduce(
          (a, b) => a + b,
          () => Promise.reject(new Error('rejected window')),
          { name: 'w' },
        )
        .sink((x) => {
          out.push(x);
        });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(escaped).to.deep.equal([]);
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).operator).to.equal('w');
    expect((error as JobFailedError).cause).to.be.instanceOf(AsyncWindowResultError);
  });
});
