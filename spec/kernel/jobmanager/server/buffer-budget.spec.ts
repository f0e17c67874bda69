import { expect } from 'chai';
import { BufferLimitError } from '../../../../src/errors/buffer-limit-error.js';
import { BufferBudget } from '../../../../src/kernel/jobmanager/server/buffer-budget.js';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { RawConnection } from './raw-connection.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The first `sent` bytes of a frame declaring `declared` payload bytes: a frame that never completes. */
function halfFrame(declared: number, sent: number): Buffer {
  const bytes = Buffer.alloc(4 + sent, 0x20);
  bytes.writeUInt32BE(declared, 0);
  return bytes;
}

async function until(condition: () => boolean, ms = 4000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe('BufferBudget', () => {
  it('counts reservations, remembers the peak and refuses past the limit', () => {
    const budget = new BufferBudget(100);
    budget.reserve(60);
    budget.reserve(40);
    expect(() => {
      budget.reserve(1);
    }).to.throw(BufferLimitError, /limit of 100 bytes/);
    budget.release(70);
    budget.reserve(10);
    expect([budget.used, budget.peak]).to.deep.equal([40, 100]);
  });
});

describe('JobManagerServer buffer budget', function () {
  this.timeout(8000);
  const open: RawConnection[] = [];
  let server: JobManagerServer | undefined;

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
  });

  async function attackers(port: number, count: number, bytes: Buffer): Promise<RawConnection[]> {
    const cs = await Promise.all(Array.from({ length: count }, () => RawConnection.open(port)));
    open.push(...cs);
    for (const c of cs) c.sendBytes(bytes);
    return cs;
  }

  it('keeps the bytes of half-sent frames of all connections under the budget, still serves, and frees them on close', async () => {
    server = new JobManagerServer({ port: 0, maxBufferedBytes: MiB });
    const { port } = await server.start();
    const s = server;
    const cs = await attackers(port, 20, halfFrame(5 * MiB, 200 * KiB));
    // Each connection left open holds more than 200 KiB, so at most 5 fit in 1 MiB.
    expect(await until(() => cs.filter((c) => c.closed).length >= 15)).to.equal(true);
    const refused = cs.filter((c) => c.closed).map((c) => c.replies[0]);
    expect(refused.every((r) => r?.error_type === 'BufferLimitError')).to.equal(true);
    expect(refused[0]?.message).to.contain('limit of 1048576 bytes');
    expect(s.peakBufferedBytes).to.be.at.most(MiB);
    expect(s.bufferedBytes).to.be.greaterThan(0);
    const good = await RawConnection.open(port);
    open.push(good);
    expect((await good.ask({ action: 'health_check', request_id: 'ok' })).status).to.equal('success');
    for (const c of cs) c.close();
    expect(await until(() => s.bufferedBytes === 0)).to.equal(true);
    expect(s.peakBufferedBytes).to.be.at.most(MiB);
  });

  it('lets a connection buffer only 64 KiB before it authenticated', async () => {
    server = new JobManagerServer({ port: 0, token: 'a-long-enough-token', authFailureLimit: 1000 });
    const { port } = await server.start();
    const s = server;
    const cs = await attackers(port, 10, halfFrame(5 * MiB, 100 * KiB));
    expect(await until(() => cs.every((c) => c.closed))).to.equal(true);
    for (const c of cs) {
      expect(c.replies).to.have.length(1);
      expect(c.replies[0]).to.include({ status: 'error', error_type: 'BufferLimitError' });
      expect(c.replies[0]?.message).to.contain('at most 65536 bytes');
    }
    expect(s.peakBufferedBytes).to.be.at.most(10 * 64 * KiB);
    expect(await until(() => s.bufferedBytes === 0)).to.equal(true);
  });
});
