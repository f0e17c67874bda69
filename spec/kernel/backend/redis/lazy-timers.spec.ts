import { expect } from 'chai';
import fc from 'fast-check';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type {
  CommitResult,
  CommitTx,
  LeaseToken,
} from '../../../../src/kernel/backend/redis/partitioned-log.js';
import {
  keyName,
  model,
  outputs,
  takeover,
  timerRecords,
  timerStep,
  type TimerRecord,
} from './lazy-timers-harness.js';

/** A MemoryLog whose leases expire when the spec moves its clock. */
function memoryLog(): { log: MemoryLog; expire: () => Promise<void> } {
  let now = 0;
  return {
    log: new MemoryLog(() => now),
    expire: () => {
      now += 120_000;
      return Promise.resolve();
    },
  };
}

describe('StageTask: keyed timers after a lazy takeover', function () {
  this.timeout(60_000);

  it('property: every committed timer fires exactly once, whether or not its key gets a record after the takeover', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(timerStep, { minLength: 1, maxLength: 25 }),
        fc.array(timerStep, { maxLength: 10 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.boolean(),
        async (steps1, steps2, seed, lazy) => {
          const [before, after] = timerRecords(steps1, steps2, seed);
          const { log, expire } = memoryLog();
          const { setup } = await takeover(log, 'j', expire, before, after, lazy ? 0 : 100_000);
          expect(await outputs(log, setup)).to.deep.equal(model([...before, ...after]));
          // Every timer fired or was deleted: the index of timer keys is empty again.
          expect([...((await log.loadHead(setup.task)).timerFields ?? [])]).to.deep.equal([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a lazy takeover loads the keys that hold timers before it starts, not the others', async () => {
    const before: TimerRecord[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ k: keyName(i), plain: true })),
      { k: keyName(3), pt: 50, et: 7 },
      { k: keyName(40), et: 9 },
    ];
    const { log, expire } = memoryLog();
    const { setup, fieldsLoadedAtStart, stateSize } = await takeover(log, 'j', expire, before, [], 0);
    expect(stateSize, 'committed state fields').to.be.greaterThan(30);
    // The function state of the chain's operator, and the fields of the two timer keys.
    expect(fieldsLoadedAtStart, 'fields loaded before the first record').to.equal(3);
    expect(await outputs(log, setup)).to.deep.equal(
      [
        [keyName(3), 'processing', 50],
        [keyName(3), 'event', 7],
        [keyName(40), 'event', 9],
      ]
        .map((f) => JSON.stringify(f))
        .sort(),
    );
  });

  it('a full load repairs an index left stale (a state committed before the index existed) in its first commit', async () => {
    const { log, expire } = memoryLog();
    const indexChanges: (readonly (readonly [string, boolean])[] | undefined)[] = [];
    const watched = Object.assign(Object.create(log) as MemoryLog, {
      commit: (tx: CommitTx): Promise<CommitResult> => {
        if (tx.lease.token.startsWith('b:')) indexChanges.push(tx.timerIndex);
        return log.commit(tx);
      },
    });
    const before: TimerRecord[] = [
      { k: keyName(1), et: 4 },
      { k: keyName(2), plain: true },
    ];
    // Between the tasks the index is wiped, as a state committed by an older version has none.
    const wipe = async (old: LeaseToken): Promise<void> => {
      await expire();
      const task = old.task;
      const lease = await log.acquire(task, 'w', 1000);
      if (lease === undefined) throw new Error('no lease');
      const fields = [...((await log.loadHead(task)).timerFields ?? [])];
      expect(fields, 'timer fields indexed by task a').to.have.length(1);
      const timerIndex = fields.map((f) => [f, false] as const);
      expect(await log.commit({ lease, positions: [], state: [], outputs: [], timerIndex })).to.equal('ok');
      await expire();
    };
    // Five entries of at most three records, two read at a time: b's first commit is not its last.
    const after: TimerRecord[] = [
      { k: keyName(5), et: 6 },
      ...Array.from({ length: 11 }, (_, i) => ({ k: keyName(10 + i), plain: true })),
    ];
    const { setup } = await takeover(watched, 'j', wipe, before, after, 100_000);
    const fieldOf = (k: string): string => {
      const field = [...(indexChanges[0] ?? []).map(([f]) => f)].find((f) => f.endsWith(`,"${k}"]`));
      return field ?? `no field of ${k}`;
    };
    // b's first commit puts k1 back (found in the state it loaded) and adds k5 (set by its first entry).
    expect(indexChanges[0]).to.deep.include.members([
      [fieldOf(keyName(1)), true],
      [fieldOf(keyName(5)), true],
    ]);
    expect(await outputs(log, setup)).to.deep.equal(model([...before, ...after]));
  });
});
