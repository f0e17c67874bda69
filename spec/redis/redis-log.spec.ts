import { expect } from 'chai';
import type { RedisLog } from '../../src/redis/redis-log.js';
import { redisLogHooks } from './redis-log-hooks.js';
import type { TestRedis } from './redis-server.js';

describe('RedisLog (redis-server)', function () {
  let log!: RedisLog;
  let redis: TestRedis | undefined;
  redisLogHooks(undefined, (connected, server) => {
    log = connected;
    redis = server;
  });

  it('commits positions, state and outputs atomically, and refuses a repeated batch (position compare-and-set)', async () => {
    const lease = await log.acquire('j:1:0', 'w1', 5000);
    expect(lease).to.not.equal(undefined);
    if (lease === undefined) return;
    const tx = {
      lease,
      positions: [{ field: 'in:s', prev: '0', next: '5-0' }],
      state: [['a', '1'] as const, ['gone', null] as const],
      outputs: [{ stream: '{j:1:0}:x:0:0', entries: ['e1', 'e2'] }],
    };
    expect(await log.commit(tx)).to.equal('ok');
    expect(await log.commit(tx)).to.equal('conflict');
    const committed = await log.load('j:1:0');
    expect([...committed.positions]).to.deep.equal([['in:s', '5-0']]);
    expect([...committed.state]).to.deep.equal([['a', '1']]);
    expect((await log.read('{j:1:0}:x:0:0', '0', 10)).map((e) => e.data)).to.deep.equal(['e1', 'e2']);
  });

  it('writes a large state change in one commit (HSET in chunks), and loads it field by field (loadHead, loadState)', async () => {
    const lease = await log.acquire('j:9:0', 'w1', 5000);
    if (lease === undefined) throw new Error('no lease');
    const state = Array.from({ length: 1203 }, (_, i) => [`f${String(i)}`, String(i)] as const);
    const tx = { lease, positions: [{ field: 'in:s', prev: '0', next: '7-0' }], state, outputs: [] };
    expect(await log.commit(tx)).to.equal('ok');
    const dels = state.slice(0, 1001).map(([f]) => [f, null] as const);
    expect(await log.commit({ lease, positions: [], state: dels, outputs: [] })).to.equal('ok');
    const head = await log.loadHead('j:9:0');
    expect([...head.positions]).to.deep.equal([['in:s', '7-0']]);
    expect(head.stateSize).to.equal(202);
    expect(await log.loadState('j:9:0', ['f0', 'f1001', 'f1202', 'nope'])).to.deep.equal([
      undefined,
      '1001',
      '1202',
      undefined,
    ]);
  });

  it('keeps the index of timer fields in the commit (SADD/SREM in chunks, next to outputs) and loads it with the head', async () => {
    const lease = await log.acquire('j:8:0', 'w1', 5000);
    if (lease === undefined) throw new Error('no lease');
    const fields = Array.from({ length: 2300 }, (_, i) => `["p",${String(i % 128)},"k${String(i)}"]`);
    const tx = {
      lease,
      positions: [{ field: 'in:s', prev: '0', next: '3-0' }],
      state: [],
      outputs: [{ stream: '{j:8:0}:x:0:0', entries: ['e1'] }],
      timerIndex: fields.map((f) => [f, true] as const),
    };
    expect(await log.commit(tx)).to.equal('ok');
    const removed = fields.slice(0, 1200).map((f) => [f, false] as const);
    expect(await log.commit({ lease, positions: [], state: [], outputs: [], timerIndex: removed })).to.equal(
      'ok',
    );
    const kept = [...fields.slice(1200)].sort();
    expect([...((await log.loadHead('j:8:0')).timerFields ?? [])].sort()).to.deep.equal(kept);
    expect([...((await log.load('j:8:0')).timerFields ?? [])].sort()).to.deep.equal(kept);
    expect((await log.read('{j:8:0}:x:0:0', '0', 10)).map((e) => e.data)).to.deep.equal(['e1']);
    await log.release(lease);
    const fenced = { lease, positions: [], state: [], outputs: [], timerIndex: [['x', true] as const] };
    expect(await log.commit(fenced)).to.equal('fenced');
    expect((await log.loadHead('j:8:0')).timerFields?.has('x')).to.equal(false);
  });

  it('fences a commit whose lease another worker holds now, and renews only its own lease', async () => {
    const old = await log.acquire('j:2:0', 'w1', 5000);
    if (old === undefined) throw new Error('no lease');
    expect(await log.acquire('j:2:0', 'w2', 5000)).to.equal(undefined);
    await log.release(old);
    const next = await log.acquire('j:2:0', 'w2', 5000);
    expect(next).to.not.equal(undefined);
    expect(await log.renew(old, 5000)).to.equal(false);
    expect(await log.commit({ lease: old, positions: [], state: [['x', '1']], outputs: [] })).to.equal(
      'fenced',
    );
    expect((await log.load('j:2:0')).state.size).to.equal(0);
  });

  it('trims a stream up to a committed position, and lists live members on the server clock', async () => {
    await log.append('t', ['a', 'b', 'c']);
    const [first, second] = await log.read('t', '0', 10);
    await log.trim('t', second?.id ?? '0');
    expect((await log.read('t', '0', 10)).map((e) => e.data)).to.deep.equal(['c']);
    expect(first?.data).to.equal('a');
    expect(await log.heartbeat('b-worker', 5000)).to.deep.equal(['b-worker']);
    expect(await log.heartbeat('a-worker', 5000)).to.deep.equal(['a-worker', 'b-worker']);
    await log.leave('b-worker');
    expect(await log.heartbeat('a-worker', 5000)).to.deep.equal(['a-worker']);
  });

  it('runs its scripts again after a server restart emptied the script cache (AOF keeps the data)', async () => {
    const lease = await log.acquire('j:3:0', 'w1', 60000);
    if (lease === undefined) throw new Error('no lease');
    expect(await log.renew(lease, 60000)).to.equal(true);
    await redis?.restart();
    let renewed = false;
    for (let i = 0; i < 50 && !renewed; i++) {
      renewed = await log.renew(lease, 60000).catch(() => false);
      if (!renewed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(renewed).to.equal(true);
  });
});
