import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { waitFor } from '../../../helpers/wait-for.js';

const words = ['a', 'b', 'a', 'c', 'a', 'b'];

/** Counts per word in keyed state; its first call waits for `gate` (so records queue behind it). */
class GatedCount extends MapFunction<string, [string, number]> {
  constructor(private readonly gate: Promise<void>) {
    super();
  }

  async execute(w: string): Promise<[string, number]> {
    await this.gate;
    const n = this.ctx.state.value('n', 0);
    n.update((x) => x + 1);
    return [w, n.get()];
  }
}

type SourceKind = 'array' | 'iterable' | 'async-iterable';

function input(kind: SourceKind): string[] | Iterable<string> | AsyncIterable<string> {
  if (kind === 'array') return words;
  if (kind === 'iterable') {
    return (function* () {
      yield* words;
    })();
  }
  return (async function* () {
    for (const w of words) {
      await Promise.resolve();
      yield w;
    }
  })();
}

function job(
  jm: JobManager,
  kind: SourceKind,
  gate: Promise<void>,
  out: Map<string, number>,
): LocalEnvironment {
  const env = new LocalEnvironment('ended-source', { jobManager: jm, logLevel: 'silent' });
  env
    .fromBatch(input(kind) as Iterable<string>, { name: 'words' })
    .keyBy((w) => w)
    .map(GatedCount, { args: [gate], parallelism: 2, name: 'count' })
    .sink(([w, n]) => {
      out.set(w, Math.max(out.get(w) ?? 0, n));
    });
  return env;
}

describe('built-in sources that ended before a cut (array, iterable, async iterable)', () => {
  for (const kind of ['array', 'iterable', 'async-iterable'] as const) {
    it(`${kind}: a job restored from the cut reads none of its records again (exactly-once state)`, async () => {
      const jm = new JobManager();
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const first = new Map<string, number>();
      const uuid = await job(jm, kind, gate, first).submit();
      // Every record left the source (it has ended) while the counter still holds them back.
      await waitFor(
        () => {
          const status = jm.getJobStatus(uuid) as { operators?: { operator: string; out: number }[] };
          return status.operators?.find((o) => o.operator === 'words')?.out === words.length;
        },
        { what: 'the source to emit every record' },
      );
      const cut = jm.stopJob(uuid, { savepoint: true });
      open();
      const snapshot = JSON.parse(JSON.stringify(await cut)) as JobSnapshot;
      const second = new Map<string, number>();
      await job(jm, kind, Promise.resolve(), second).submit({ autostop: true, restore: snapshot });
      const final = new Map([...first, ...second]);
      expect([...final].sort()).to.deep.equal([
        ['a', 3],
        ['b', 2],
        ['c', 1],
      ]);
      expect(second.size, 'records the restored job read again').to.equal(0);
    });
  }

  it('the final state of a finished job still keeps no position: a job restored from it reads its own input', async () => {
    const jm = new JobManager();
    const first = new Map<string, number>();
    const uuid = await job(jm, 'array', Promise.resolve(), first).submit({ autostop: true });
    const snapshot = await jm.snapshotJob(uuid);
    const second = new Map<string, number>();
    await job(jm, 'array', Promise.resolve(), second).submit({ autostop: true, restore: snapshot });
    expect([...second].sort()).to.deep.equal([
      ['a', 6],
      ['b', 4],
      ['c', 2],
    ]);
  });
});
