import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SourceFunction } from '../../../../src/core/api/function/source-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { KeyedState } from '../../../../src/kernel/runtime/state/keyed-state.js';
import { encodeKey } from '../../../../src/kernel/runtime/state/key-encoding.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import type { KeyHolder } from '../../../../src/kernel/runtime/step.js';

function newEnv(name: string, jm = new JobManager()): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: jm, logLevel: 'silent' });
}

class CountPerKey extends MapFunction<string, [string, number, number]> {
  execute(word: string): [string, number, number] {
    const count = this.ctx.state.value('count', 0);
    count.set(count.get() + 1);
    return [word, count.get(), this.ctx.parallelIndex];
  }
}

describe('KeyedState', () => {
  const holder: KeyHolder = { key: undefined, input: 0 };

  it('scopes value, list and map state to the current key', () => {
    const state = new KeyedState(holder);
    holder.key = 'a';
    state.value('n', 0).set(1);
    state.list<number>('l').add(1, 2);
    state.map<string>('m').set('x', 'ax');
    holder.key = 'b';
    expect(state.value('n', 0).get()).to.equal(0);
    expect(state.list<number>('l').get()).to.deep.equal([]);
    expect(state.map<string>('m').get('x')).to.equal(undefined);
    state.value('n', 0).set(7);
    holder.key = 'a';
    expect(state.value('n', 0).get()).to.equal(1);
    expect(state.list<number>('l').get()).to.deep.equal([1, 2]);
    expect(state.map<string>('m').entries()).to.deep.equal([['x', 'ax']]);
    expect(state.keys().sort()).to.deep.equal(['a', 'b']);
  });

  it('keeps falsy keys apart: 0, "" and false are distinct keys', () => {
    const state = new KeyedState(holder);
    for (const [k, v] of [
      [0, 'zero'],
      ['', 'empty'],
      [false, 'false'],
    ] as const) {
      holder.key = k;
      state.value<string>('v').set(v);
    }
    holder.key = '';
    expect(state.value<string>('v').get()).to.equal('empty');
    holder.key = 0;
    expect(state.value<string>('v').get()).to.equal('zero');
    expect(encodeKey(1)).to.not.equal(encodeKey('1'));
  });

  it('updates values with immer recipes and keeps old snapshots unchanged', () => {
    const state = new KeyedState(holder);
    holder.key = 'u';
    const profile = state.value('profile', { visits: 0, pages: [] as string[] });
    profile.update((p) => {
      p.visits++;
      p.pages.push('/home');
    });
    const before = state.snapshot();
    profile.update((p) => {
      p.visits++;
    });
    expect(profile.get()).to.deep.equal({ visits: 2, pages: ['/home'] });
    expect(JSON.parse(JSON.stringify(before))).to.not.deep.equal(
      JSON.parse(JSON.stringify(state.snapshot())),
    );
    expect(Object.isFrozen(state.snapshot())).to.equal(true);
    expect(Object.isFrozen(profile.get())).to.equal(true);
  });

  it('clears and deletes', () => {
    const state = new KeyedState(holder);
    holder.key = 1;
    state.value('v', 0).set(3);
    state.map<number>('m').set('a', 1);
    state.map<number>('m').delete('a');
    expect(state.map<number>('m').has('a')).to.equal(false);
    state.value('v', 0).clear();
    expect(state.value('v', 0).get()).to.equal(0);
  });

  it('refuses one name used as two kinds of state', () => {
    const state = new KeyedState(holder);
    state.value('x');
    expect(() => state.list('x')).to.throw(TypeError, /another kind/);
  });

  it('a snapshot is JSON-compatible and restores into a new store', () => {
    const state = new KeyedState(holder);
    holder.key = { id: 1 };
    state.value('n', 0).set(5);
    const snap = JSON.parse(JSON.stringify(state.snapshot())) as ReturnType<KeyedState['snapshot']>;
    const restored = new KeyedState(holder, snap);
    expect(restored.value('n', 0).get()).to.equal(5);
  });
});

describe('keyed state in jobs', () => {
  it('is isolated per key and per instance at parallelism 2', async () => {
    const env = newEnv('isolation');
    const words = ['a', 'b', 'a', 'c', 'a', 'b', 'd', 'c'];
    const out: [string, number, number][] = [];
    env
      .fromBatch(words)
      .keyBy((w) => w)
      .map(CountPerKey, { parallelism: 2 })
      .sink((r) => {
        out.push(r);
      });
    await env.submit({ autostop: true });
    const last = new Map<string, number>();
    for (const [w, n] of out) last.set(w, n);
    expect(Object.fromEntries(last)).to.deep.equal({ a: 3, b: 2, c: 2, d: 1 });
    const counts = new Map<string, number[]>();
    for (const [w, n] of out) counts.set(w, [...(counts.get(w) ?? []), n]);
    for (const seq of counts.values()) expect(seq).to.deep.equal(seq.map((_, i) => i + 1));
    expect(new Set(out.map((r) => r[2])).size).to.equal(2);
  });

  it('snapshot → restore continues a count in a new job', async () => {
    const jm = new JobManager();
    const first = newEnv('counting', jm);
    first
      .fromBatch(['x', 'y', 'x'])
      .keyBy((w) => w)
      .map(CountPerKey, { parallelism: 2, name: 'count' })
      .sink(() => undefined);
    const uuid = await first.submit({ autostop: true });
    const snapshot = jm.snapshotJob(uuid);
    expect(JSON.parse(JSON.stringify(snapshot))).to.deep.equal(snapshot);

    const second = newEnv('counting', jm);
    const out: [string, number, number][] = [];
    second
      .fromBatch(['x', 'y', 'z'])
      .keyBy((w) => w)
      .map(CountPerKey, { parallelism: 2, name: 'count' })
      .sink((r) => {
        out.push(r);
      });
    await second.submit({ autostop: true, restore: snapshot });
    expect(out.map(([w, n]) => [w, n]).sort()).to.deep.equal([
      ['x', 3],
      ['y', 2],
      ['z', 1],
    ]);
  });

  it('restores function fields (getState / restoreState) into a new job', async () => {
    class Total extends MapFunction<number, number> {
      total = 0;
      seen = new Set<number>();
      execute(x: number): number {
        this.seen.add(x);
        this.total += x;
        return this.total;
      }
    }
    const jm = new JobManager();
    const a = newEnv('fields', jm);
    a.fromBatch([1, 2, 3])
      .map(Total, { name: 'total' })
      .sink(() => undefined);
    const snap = jm.snapshotJob(await a.submit({ autostop: true }));
    expect(snap.operators.total?.[0]?.fields).to.deep.equal({ total: 6, seen: { $set: [1, 2, 3] } });
    const b = newEnv('fields', jm);
    const out: number[] = [];
    b.fromBatch([4])
      .map(Total, { name: 'total' })
      .sink((x) => {
        out.push(x);
      });
    await b.submit({ autostop: true, restore: snap });
    expect(out).to.deep.equal([10]);
  });

  it('survives pause and continue', async () => {
    class Words extends SourceFunction<string> {
      private i = 0;
      execute(): string | StopSignal {
        return this.i < 400 ? (['p', 'q'][this.i++ % 2] ?? 'p') : new StopSignal();
      }
    }
    const env = newEnv('pause-state');
    const jm = env.jobManager;
    const out: [string, number, number][] = [];
    let pauses = 0;
    env
      .fromSource(Words)
      .keyBy((w) => w)
      .map(async function (this: CountPerKey, w: string) {
        await Promise.resolve();
        return CountPerKey.prototype.execute.call(this, w);
      })
      .sink(function (this: { ctx: { jobId: string } }, r: [string, number, number]) {
        out.push(r);
        if (out.length % 25 === 0) {
          const uuid = this.ctx.jobId;
          jm.pauseJob(uuid);
          pauses++;
          setTimeout(() => {
            jm.continueJob(uuid);
          }, 1);
        }
      });
    await env.submit({ autostop: true });
    expect(pauses).to.equal(16);
    expect(out.filter((r) => r[0] === 'p').map((r) => r[1])).to.deep.equal(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    expect(out.filter((r) => r[0] === 'q').map((r) => r[1])).to.deep.equal(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });
});

describe('source position in snapshots', () => {
  it('a job restored from a paused job reads an array on from where the old one stopped', async () => {
    const jm = new JobManager();
    const words = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? 'even' : 'odd'));
    const first = newEnv('resume', jm);
    const seen: number[] = [];
    first
      .fromBatch(words, { name: 'words' })
      .keyBy((w) => w)
      .map(CountPerKey, { name: 'count' })
      .map(async (r) => {
        await Promise.resolve();
        return r;
      })
      .sink(function (this: { ctx: { jobId: string } }, r: [string, number, number]) {
        seen.push(r[1]);
        if (seen.length === 100) jm.pauseJob(this.ctx.jobId);
      });
    const uuid = await first.submit();
    await waitFor(() => jm.getJobStatus(uuid).status === 'paused', {
      what: 'the job to pause at record 100',
    });
    const snapshot = jm.snapshotJob(uuid);
    jm.stopJob(uuid);
    const position = (snapshot.operators.words?.[0]?.fields as { position: number }).position;
    expect(position).to.equal(100);

    const second = newEnv('resume', jm);
    const out: [string, number, number][] = [];
    second
      .fromBatch(words, { name: 'words' })
      .keyBy((w) => w)
      .map(CountPerKey, { name: 'count' })
      .sink((r) => {
        out.push(r);
      });
    await second.submit({ autostop: true, restore: snapshot });
    expect(out).to.have.length(words.length - position);
    const last = new Map(out.map(([w, n]) => [w, n]));
    expect(Object.fromEntries(last)).to.deep.equal({ even: 1500, odd: 1500 });
  });
});
