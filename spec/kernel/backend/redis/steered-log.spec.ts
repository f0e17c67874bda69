import { expect } from 'chai';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { LeaseToken } from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { RECORDS_IN, RECORDS_OUT, SteeredLog } from '../../../../src/kernel/backend/redis/steered-log.js';

/** A task whose counters the spec sets. */
function counted(): { counts: { in: number; out: number }; task: Parameters<SteeredLog['attach']>[0] } {
  const counts = { in: 0, out: 0 };
  return {
    counts,
    task: {
      counters: () => ({ ...counts }),
      pause: () => undefined,
      resume: () => undefined,
    },
  };
}

async function leased(log: MemoryLog, task: string): Promise<LeaseToken> {
  const lease = await log.acquire(task, 'w', 10_000);
  if (lease === undefined) throw new Error('no lease');
  return lease;
}

describe('SteeredLog (one task of a steered Redis job)', () => {
  it('keeps commits in flight consistent: each compares the counters the one before moved to', async () => {
    const log = new MemoryLog();
    const steered = new SteeredLog(log, false);
    const { counts, task } = counted();
    steered.attach(task);
    await steered.load('t');
    const lease = await leased(log, 't');
    const tx = { lease, positions: [], state: [], outputs: [] };
    counts.in = 3;
    counts.out = 2;
    const first = steered.commit(tx);
    counts.in = 5;
    counts.out = 4;
    const second = steered.commit(tx);
    expect(await Promise.all([first, second])).to.deep.equal(['ok', 'ok']);
    const committed = await log.load('t');
    expect(committed.positions.get(RECORDS_IN)).to.equal('5');
    expect(committed.positions.get(RECORDS_OUT)).to.equal('4');
  });

  it("forwards the log's lazy loading, and a successor that loads the head counts on from its counters", async () => {
    let now = 0;
    const log = new MemoryLog(() => now);
    const first = new SteeredLog(log, false);
    const a = counted();
    first.attach(a.task);
    await first.load('t');
    a.counts.in = 7;
    const tx = { lease: await leased(log, 't'), positions: [], state: [], outputs: [] };
    expect(await first.commit(tx)).to.equal('ok');
    now += 20_000; // the first worker's lease expired
    const next = new SteeredLog(log, false);
    const b = counted();
    next.attach(b.task);
    expect(next.loadState).to.not.equal(undefined);
    const head = await next.loadHead?.('t');
    expect(head?.positions.get(RECORDS_IN)).to.equal('7');
    b.counts.in = 1;
    expect(await next.commit({ ...tx, lease: await leased(log, 't') })).to.equal('ok');
    expect((await log.load('t')).positions.get(RECORDS_IN)).to.equal('8');
  });
});
