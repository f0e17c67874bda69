import { expect } from 'chai';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { smallJobs } from '../fixtures/small-jobs.js';
import { RawConnection, type Reply } from './raw-connection.js';

describe('JobManagerServer list_jobs', () => {
  let server: JobManagerServer;
  let c: RawConnection;

  before(async () => {
    // A small frame limit stands for the 10 MiB one: the full statuses of these jobs would not fit in one frame.
    server = new JobManagerServer({ port: 0, maxFrameBytes: 64 * 1024 });
    const { port } = await server.start();
    await smallJobs(server.jobManager, 250);
    c = await RawConnection.open(port);
  });

  after(async () => {
    c.close();
    await server.stop();
  });

  it('answers a first page of 100 summaries and the total, where full statuses would pass the frame limit', async () => {
    expect(JSON.stringify(server.jobManager.listJobs()).length).to.be.greaterThan(64 * 1024);
    const reply = await c.ask({ action: 'list_jobs', request_id: 1 });
    expect(reply).to.include({ status: 'success', total: 250 });
    const jobs = reply.jobs as Reply[];
    expect(jobs).to.have.length(100);
    const uuids = server.jobManager.listJobs().map((j) => j.uuid);
    expect(jobs.map((j) => j.uuid)).to.deep.equal(uuids.slice(0, 100));
    expect(jobs[0]).to.have.all.keys(
      'uuid',
      'name',
      'status',
      'startTime',
      'endTime',
      'runtimeMs',
      'operators',
      'errors',
      'queued',
    );
    expect(jobs[0]).to.include({ name: 'job-0', status: 'completed', operators: 3 });
  });

  it('pages with offset and limit', async () => {
    const uuids = server.jobManager.listJobs().map((j) => j.uuid);
    const last = await c.ask({ action: 'list_jobs', request_id: 2, offset: 200, limit: 100 });
    expect((last.jobs as Reply[]).map((j) => j.uuid)).to.deep.equal(uuids.slice(200));
    const middle = await c.ask({ action: 'list_jobs', request_id: 3, offset: 10, limit: 5 });
    expect((middle.jobs as Reply[]).map((j) => j.uuid)).to.deep.equal(uuids.slice(10, 15));
    const beyond = await c.ask({ action: 'list_jobs', request_id: 4, offset: 1000 });
    expect(beyond).to.deep.include({ status: 'success', jobs: [], total: 250 });
  });

  it('refuses a limit outside 1‥1000, a negative offset and non-numbers, naming the field', async () => {
    const bad: [string, unknown][] = [
      ['limit', 1001],
      ['limit', 0],
      ['offset', -1],
      ['offset', 2.5],
      ['limit', '10'],
    ];
    for (const [field, value] of bad) {
      const reply = await c.ask({
        action: 'list_jobs',
        request_id: `${field}${String(value)}`,
        [field]: value,
      });
      expect(reply, `${field}=${String(value)}`).to.include({ status: 'error', error_type: 'ProtocolError' });
      expect(reply.message).to.contain(field);
    }
  });

  it('keeps the full status for get_job_status', async () => {
    const [first] = server.jobManager.listJobs();
    const reply = await c.ask({ action: 'get_job_status', request_id: 5, job_uuid: first?.uuid });
    expect(reply.job_status).to.include.keys('operators', 'plan', 'services');
    expect((reply.job_status as { operators: unknown[] }).operators).to.have.length(3);
  });
});
