import { expect } from 'chai';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { RawConnection } from './raw-connection.js';

const TOKEN = 'a-long-enough-token';

function frame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

describe('JobManagerServer authentication', function () {
  this.timeout(5000);
  let server: JobManagerServer;
  let port: number;
  const open: RawConnection[] = [];

  async function connection(): Promise<RawConnection> {
    const c = await RawConnection.open(port);
    open.push(c);
    return c;
  }

  beforeEach(async () => {
    server = new JobManagerServer({ port: 0, token: TOKEN, authTimeoutMs: 200, authFailureLimit: 1000 });
    port = (await server.start()).port;
  });

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server.stop();
  });

  it('answers exactly one of several requests without the token, then closes', async () => {
    const c = await connection();
    c.sendBytes(
      Buffer.concat([1, 2, 3].map((id) => frame(JSON.stringify({ action: 'health_check', request_id: id })))),
    );
    expect(await c.whenClosed(1000)).to.equal(true);
    expect(c.replies).to.have.length(1);
    expect(c.replies[0]).to.include({ status: 'error', request_id: 1, error_type: 'AuthenticationError' });
  });

  it('answers the requests with the token taken before a request without it, then closes', async () => {
    const c = await connection();
    c.sendBytes(
      Buffer.concat([
        frame(JSON.stringify({ action: 'health_check', request_id: 'good', token: TOKEN })),
        frame(JSON.stringify({ action: 'list_jobs', request_id: 'bad' })),
        frame(JSON.stringify({ action: 'list_jobs', request_id: 'ignored', token: TOKEN })),
      ]),
    );
    expect(await c.whenClosed(1000)).to.equal(true);
    expect(c.replies.map((r) => [r.request_id, r.status])).to.deep.equal([
      ['good', 'success'],
      ['bad', 'error'],
    ]);
    expect(c.replies[1]).to.include({ error_type: 'AuthenticationError' });
  });

  it('answers one of several malformed frames from an unauthenticated connection, then closes', async () => {
    const c = await connection();
    c.sendBytes(Buffer.concat([frame('{"action": '), frame('not json'), frame('{')]));
    expect(await c.whenClosed(1000)).to.equal(true);
    expect(c.replies).to.have.length(1);
    expect(c.replies[0]).to.include({ status: 'error', request_id: null, error_type: 'ProtocolError' });
  });

  it('closes a connection whose first frame does not arrive within the deadline', async () => {
    const silent = await connection();
    const slow = await connection();
    const half = frame(JSON.stringify({ action: 'health_check', request_id: 1, token: TOKEN }));
    slow.sendBytes(half.subarray(0, half.length - 2));
    for (const c of [silent, slow]) {
      expect(await c.whenClosed(2000)).to.equal(true);
      expect(c.replies[0]).to.include({ status: 'error', error_type: 'AuthenticationError' });
      expect(c.replies[0]?.message).to.contain('within 200 ms');
    }
  });

  it('keeps an authenticated connection open past the deadline and answers its malformed frames', async () => {
    const c = await connection();
    expect(await c.ask({ action: 'health_check', request_id: 1, token: TOKEN })).to.include({
      status: 'success',
    });
    c.sendBytes(frame('{"broken'));
    const [, malformed] = await c.replyCount(2);
    expect(malformed).to.include({ status: 'error', error_type: 'ProtocolError' });
    expect(await c.whenClosed(400)).to.equal(false);
    expect(await c.ask({ action: 'health_check', request_id: 2, token: TOKEN })).to.include({
      status: 'success',
    });
  });

  it('closes an authenticated connection at the first request with a wrong token', async () => {
    const c = await connection();
    await c.ask({ action: 'health_check', request_id: 1, token: TOKEN });
    const reply = await c.ask({ action: 'health_check', request_id: 2, token: 'wrong' });
    expect(reply).to.include({ status: 'error', error_type: 'AuthenticationError' });
    expect(await c.whenClosed(1000)).to.equal(true);
  });

  it('refuses an address at once after too many failed authentications, even with the right token', async () => {
    await server.stop();
    server = new JobManagerServer({
      port: 0,
      token: TOKEN,
      authFailureLimit: 3,
      authFailureWindowMs: 600_000,
    });
    port = (await server.start()).port;
    const good = await connection();
    expect((await good.ask({ action: 'health_check', request_id: 'g', token: TOKEN })).status).to.equal(
      'success',
    );
    for (const attempt of [1, 2, 3]) {
      const c = await connection();
      const reply = await c.ask({ action: 'health_check', request_id: attempt, token: 'guess' });
      expect(reply).to.include({ error_type: 'AuthenticationError' });
      expect(await c.whenClosed(1000)).to.equal(true);
    }
    const refused = await connection();
    refused.send({ action: 'health_check', request_id: 'late', token: TOKEN });
    expect(await refused.whenClosed(1000)).to.equal(true);
    expect(refused.replies).to.have.length(1);
    expect(refused.replies[0]).to.include({
      status: 'error',
      request_id: null,
      error_type: 'RateLimitError',
    });
    expect(refused.replies[0]?.message).to.match(/Too many failed authentications from .*refused for \d+ s/);
    expect((await good.ask({ action: 'health_check', request_id: 'g2', token: TOKEN })).status).to.equal(
      'success',
    );
  });

  it('lets an address hold only authFailureLimit connections waiting to authenticate', async () => {
    await server.stop();
    server = new JobManagerServer({ port: 0, token: TOKEN, authFailureLimit: 3 });
    port = (await server.start()).port;
    const [first, second, third] = await Promise.all([connection(), connection(), connection()]);
    const fourth = await connection();
    expect(await fourth.whenClosed(1000)).to.equal(true);
    expect(fourth.replies[0]).to.include({ status: 'error', error_type: 'ConnectionError' });
    expect(fourth.replies[0]?.message).to.contain('waiting to authenticate (limit 3)');
    expect((await first.ask({ action: 'health_check', request_id: 1, token: TOKEN })).status).to.equal(
      'success',
    );
    second.close();
    const later = [await connection(), await connection()];
    for (const c of later) {
      expect((await c.ask({ action: 'health_check', request_id: 2, token: TOKEN })).status).to.equal(
        'success',
      );
    }
    expect([first.closed, third.closed]).to.deep.equal([false, false]);
  });
});
