import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { RecordNotSerializableError } from '../../../../src/errors/record-not-serializable-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

class Point {
  constructor(readonly x: number) {}
  double(): number {
    return this.x * 2;
  }
}

function env(config: Record<string, unknown>): LocalEnvironment {
  return new LocalEnvironment('check', { jobManager: new JobManager(), logLevel: 'silent', ...config });
}

describe('config.checkSerializable', () => {
  it("fails the job ('fail') when a class instance crosses a non-fused edge", async () => {
    const e = env({ checkSerializable: true, errorPolicy: 'fail' });
    e.fromBatch([1, 2], { name: 'nums' })
      .map((x) => new Point(x), { name: 'to-point' })
      .map((p) => p.double(), { name: 'double', parallelism: 2 })
      .sink(() => undefined);
    const error = await e.submit({ autostop: true }).catch((x: unknown) => x);
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).cause).to.be.instanceOf(RecordNotSerializableError);
    expect((error as Error).message)
      .to.include('to-point')
      .and.include('an instance of Point');
  });

  it("drops and counts such records under 'skip'; plain records arrive as copies", async () => {
    const e = env({ checkSerializable: true });
    const sent = { n: 1 };
    const out: unknown[] = [];
    e.fromBatch<unknown>([sent, () => 2, { n: 3 }], { name: 'mixed' })
      .map((x) => x, { name: 'pass', parallelism: 2 })
      .sink(
        (x) => {
          out.push(x);
        },
        { parallelism: 2 },
      );
    const uuid = await e.submit({ autostop: true });
    expect(out).to.have.deep.members([{ n: 1 }, { n: 3 }]);
    expect(out.includes(sent)).to.equal(false);
    const source = e.jobManager
      .getJob(uuid)
      ?.toStatus()
      .operators.find((o) => o.operator === 'mixed');
    expect(source?.errors).to.equal(1);
  });

  it('leaves fused chains and jobs without the setting alone', async () => {
    const fused = env({ checkSerializable: true, errorPolicy: 'fail' });
    const a: number[] = [];
    fused
      .fromBatch([1, 2])
      .map((x) => new Point(x))
      .sink((p) => {
        a.push(p.double());
      });
    await fused.submit({ autostop: true });
    expect(a).to.deep.equal([2, 4]);
    const unchecked = env({ errorPolicy: 'fail' });
    const b: number[] = [];
    unchecked
      .fromBatch([1, 2])
      .map((x) => new Point(x))
      .map((p) => p.double(), { parallelism: 2 })
      .sink((x) => {
        b.push(x);
      });
    await unchecked.submit({ autostop: true });
    expect(b.sort()).to.deep.equal([2, 4]);
  });
});
