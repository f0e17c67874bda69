import { expect } from 'chai';
import { clusterNodes } from '../../src/redis/redis-connection.js';

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
