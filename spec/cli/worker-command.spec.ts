import { expect } from 'chai';
import { runCli } from '../../src/cli/run-cli.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import { hasRedisServer, startRedis } from '../redis/redis-server.js';
import { TestIo } from './cli-test-io.js';

describe('sage worker', () => {
  it('needs --redis and --job-root, and says so', async () => {
    const io = new TestIo();
    expect(await runCli(['worker', '--job-root', 'jobs'], io)).to.equal(ExitCode.Usage);
    expect(io.stderr.text).to.match(/needs --redis URL/);
    const io2 = new TestIo();
    expect(await runCli(['worker', '--redis', 'redis://127.0.0.1:1'], io2)).to.equal(ExitCode.Usage);
    expect(io2.stderr.text).to.match(/needs --job-root DIR/);
  });

  it('refuses a --redis that is not a Redis URL with a usage error, not a bare "Invalid URL"', async () => {
    const io = new TestIo();
    expect(await runCli(['worker', '--redis', 'nonsense', '--job-root', 'j'], io)).to.equal(ExitCode.Usage);
    expect(io.stderr.text)
      .to.include('--redis must be a Redis URL such as redis://127.0.0.1:6379')
      .and.include('"nonsense"');
  });

  it('refuses a --slots that is not a positive integer', async () => {
    const io = new TestIo();
    expect(await runCli(['worker', '--redis', 'redis://x', '--job-root', 'j', '--slots', '0'], io)).to.equal(
      ExitCode.Usage,
    );
    expect(io.stderr.text).to.match(/--slots must be a positive integer, got "0"/);
  });

  it('prints its help', async () => {
    const io = new TestIo();
    expect(await runCli(['worker', '--help'], io)).to.equal(ExitCode.Ok);
    expect(io.stdout.text).to.match(/Usage: sage worker --redis URL --job-root DIR/);
  });

  it('joins the membership until a stop signal, then leaves it (redis-server)', async function () {
    if (!hasRedisServer()) this.skip();
    const redis = await startRedis();
    const log = await RedisLog.connect(redis.url);
    try {
      const io = new TestIo();
      const run = runCli(['worker', '--redis', redis.url, '--job-root', '.', '--tick-ms', '20'], io);
      let live: string[] = [];
      for (let i = 0; i < 200 && live.length < 2; i++) {
        live = await log.heartbeat('probe', 5000);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(live).to.have.length(2);
      io.signal('SIGTERM');
      expect(await run).to.equal(ExitCode.Ok);
      expect(await log.heartbeat('probe', 5000)).to.deep.equal(['probe']);
    } finally {
      await log.close();
      await redis.stop();
    }
  });
});
