import { expect } from 'chai';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { RedisOptionsError } from '../../src/errors/redis-options-error.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import { checkStreamOptions } from '../../src/redis/check-stream-options.js';
import { RedisStreamSink } from '../../src/redis/redis-stream-sink.js';
import { RedisStreamSource } from '../../src/redis/redis-stream-source.js';

function rejection(options: unknown, withFrom: boolean): RedisOptionsError {
  try {
    checkStreamOptions('RedisStreamSource', options, withFrom);
  } catch (e) {
    expect(e).to.be.instanceOf(RedisOptionsError);
    return e as RedisOptionsError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('checkStreamOptions (RedisStreamSource and RedisStreamSink options)', () => {
  it('accepts the URLs of one server and of a cluster, with or without TLS, and both starts', () => {
    for (const url of ['redis://h:1', 'rediss://h:1', 'redis+cluster://a:1,b:2', 'rediss+cluster://a:1']) {
      for (const from of [undefined, '0', '$'] as const) {
        expect(() => {
          checkStreamOptions('RedisStreamSource', { url, stream: 's', from }, true);
        }).not.to.throw();
      }
    }
  });

  it('names the option that is wrong and what to pass', () => {
    expect(rejection(undefined, false).option).to.equal('options');
    expect(rejection({ stream: 's' }, false).message).to.include("'redis://127.0.0.1:6379'");
    expect(rejection({ url: 'localhost:6379', stream: 's' }, false).option).to.equal('url');
    expect(rejection({ url: 'redis://h:1', stream: '' }, false).option).to.equal('stream');
    const from = rejection({ url: 'redis://h:1', stream: 's', from: '5' }, true);
    expect([from.option, from.message]).to.deep.equal([
      'from',
      "RedisStreamSource: from is string \"5\": pass '0' (from the first entry, the default) or '$' (only new entries)",
    ]);
  });

  it('fails the job at submit instead of skipping every record (no server needed)', async () => {
    const jobManager = new JobManager();
    const source = new LocalEnvironment('bad-source', { jobManager });
    source.fromSource(RedisStreamSource, { args: [{ url: 'nonsense', stream: 'in' }] }).sink(() => undefined);
    const e1 = await source.submit({ autostop: true }).catch((e: unknown) => e);
    expect(e1).to.be.instanceOf(JobFailedError);
    expect((e1 as JobFailedError).cause).to.be.instanceOf(RedisOptionsError);
    const sink = new LocalEnvironment('bad-sink', { jobManager });
    sink.fromBatch([1]).sink(RedisStreamSink, { args: [{ url: 'redis://127.0.0.1:1' } as never] });
    const e2 = await sink.submit({ autostop: true }).catch((e: unknown) => e);
    expect((e2 as JobFailedError).cause).to.be.instanceOf(RedisOptionsError);
    expect((e2 as Error).message).to.include('RedisStreamSink: stream is undefined');
  });
});
