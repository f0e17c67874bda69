import { expect } from 'chai';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { ConnectionError } from '../../src/errors/connection-error.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import { clusterNodes, connectRedis } from '../../src/redis/redis-connection.js';
import { freePort } from './redis-server.js';

const KEYED_SUM = new URL('../fixtures/jobs/keyed-sum.ts', import.meta.url);

describe('clusterNodes (which URLs name a Redis Cluster)', () => {
  it('reads the seed nodes of a redis+cluster:// URL, with credentials for every node', () => {
    expect(clusterNodes({ url: 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001' })).to.deep.equal({
      nodes: ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001'],
    });
    expect(clusterNodes({ url: 'rediss+cluster://app:s%40cret@a:7000, b:7000/' })).to.deep.equal({
      nodes: ['rediss://a:7000', 'rediss://b:7000'],
      username: 'app',
      password: 's@cret',
    });
    expect(clusterNodes({ url: 'redis+cluster://pw@a:1' })).to.deep.equal({
      nodes: ['redis://a:1'],
      password: 'pw',
    });
  });

  it('takes a list of URLs, or a plain URL with cluster: true, as a cluster; a plain URL alone as one server', () => {
    expect(clusterNodes({ url: ['redis://a:1', 'redis://b:2'] })).to.deep.equal({
      nodes: ['redis://a:1', 'redis://b:2'],
    });
    expect(clusterNodes({ url: 'redis://a:1', cluster: true })).to.deep.equal({ nodes: ['redis://a:1'] });
    expect(clusterNodes({ url: 'redis://a:1' })).to.equal(undefined);
  });
});

describe('connectRedis (one server)', function () {
  this.timeout(15_000);

  it('fails with ConnectionError when no server ever answers, instead of retrying for ever', async () => {
    const url = `redis://127.0.0.1:${String(await freePort())}`;
    const e = await connectRedis({ url }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(ConnectionError);
    expect((e as ConnectionError).address).to.equal(url);
    expect((e as Error).message)
      .to.include(`Cannot connect to Redis at ${url}`)
      .and.include('ECONNREFUSED')
      .and.include('is the server running');
  });

  it('makes a Redis-backend job fail, not stay running, when its server is not there', async () => {
    const url = `redis://127.0.0.1:${String(await freePort())}`;
    const env = await LocalEnvironment.fromModule(KEYED_SUM, { config: { jobManager: new JobManager() } });
    const e = await env.submit({ backend: { kind: 'redis', url }, autostop: true }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(Error);
    expect((e as Error).message).to.include(`Cannot connect to Redis at ${url}`);
  });
});

describe('connectRedis (a Redis Cluster)', function () {
  this.timeout(15_000);

  it('fails with ConnectionError naming the seed nodes when none of them answers', async () => {
    const nodes = [`127.0.0.1:${String(await freePort())}`, `127.0.0.1:${String(await freePort())}`];
    const e = await connectRedis({ url: `redis+cluster://${nodes.join(',')}` }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(ConnectionError);
    const address = nodes.map((n) => `redis://${n}`).join(',');
    expect((e as ConnectionError).address).to.equal(address);
    expect((e as Error).message)
      .to.include(`Cannot connect to the Redis Cluster at ${address}`)
      .and.include('is the cluster running');
  });
});
