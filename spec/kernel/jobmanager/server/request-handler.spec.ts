import { expect } from 'chai';
import log from 'loglevel';
import { fileURLToPath } from 'node:url';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import { RawConnection } from './raw-connection.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));

async function until(condition: () => boolean, ms = 4000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe('RequestHandler job event log', () => {
  const lines: string[] = [];
  const logger = log.getLogger('spec:request-handler');
  logger.methodFactory =
    (method) =>
    (...args: unknown[]) =>
      lines.push(`${method} ${args.map(String).join(' ')}`);
  logger.setLevel('info');

  let server: JobManagerServer;
  let c: RawConnection;

  beforeEach(async () => {
    lines.length = 0;
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS], logger });
    c = await RawConnection.open((await server.start()).port);
  });

  afterEach(async () => {
    c.close();
    await server.stop();
  });

  async function submit(fields: Record<string, unknown>): Promise<string> {
    const reply = await c.ask({ action: 'submit_job', request_id: JSON.stringify(fields), ...fields });
    return typeof reply.job_uuid === 'string' ? reply.job_uuid : '';
  }

  it('logs each submitted job with name and uuid, and how it ended', async () => {
    const done = await submit({ module: 'ticker.ts', args: { limit: 2, intervalMs: 1 }, name: 'short' });
    const failed = await submit({ module: 'failing-job.ts' });
    const stopped = await submit({ module: 'ticker.ts', name: 'endless' });
    await c.ask({ action: 'stop_job', request_id: 'stop', job_uuid: stopped });
    const ended = (uuid: string): boolean => lines.some((l) => l.includes(uuid) && !l.includes('submitted'));
    expect(await until(() => [done, failed, stopped].every(ended))).to.equal(true);
    expect(lines).to.include.members([
      `info job short (${done}) submitted from ticker.ts (export "default")`,
      `info job short (${done}) completed`,
      `info job failing-job (${failed}) submitted from failing-job.ts (export "default")`,
      `info job endless (${stopped}) submitted from ticker.ts (export "default")`,
      `info job endless (${stopped}) stopped`,
    ]);
    expect(lines.find((l) => l.startsWith(`warn job failing-job (${failed}) failed:`))).to.contain(
      'two is not allowed',
    );
  });

  it('logs every failed submit with its reason', async () => {
    await submit({ module: 'throws-while-building.ts' });
    await submit({ module: '../outside.ts' });
    await submit({ module: 'ticker.ts', export: 'answer' });
    expect(lines.filter((l) => l.startsWith('warn submit of '))).to.have.length(3);
    expect(lines[0]).to.match(
      /^warn submit of throws-while-building\.ts \(export "default"\) failed: .*threw/,
    );
    expect(lines[1]).to.match(/^warn submit of \.\.\/outside\.ts \(export "default"\) failed: /);
    expect(lines[2]).to.match(/^warn submit of ticker\.ts \(export "answer"\) failed: /);
  });
});
