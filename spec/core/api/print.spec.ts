import { expect } from 'chai';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

describe('print() (DESIGN §2)', () => {
  it('works any number of times per environment, on DataStream and ConnectedStreams, with and without a prefix', async () => {
    const env = new LocalEnvironment('printing', { jobManager: new JobManager(), logLevel: 'silent' });
    const a = env.fromBatch([1, 2]);
    const b = env.fromBatch(['x']);
    a.print();
    a.print('a: ');
    a.connect(b).print('both: ');
    a.connect(b).print();
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const capture = (chunk: string | Uint8Array): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    };
    process.stdout.write = capture;
    try {
      await env.submit({ autostop: true });
    } finally {
      process.stdout.write = write;
    }
    expect(lines.sort()).to.deep.equal(
      ['1\n', '2\n', 'a: 1\n', 'a: 2\n', 'both: 1\n', 'both: 2\n', 'both: x\n', '1\n', '2\n', 'x\n'].sort(),
    );
    expect(env.explain()).to.match(/print-4/);
  });
});
