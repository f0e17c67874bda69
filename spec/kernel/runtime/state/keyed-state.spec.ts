import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SourceFunction } from '../../../../src/core/api/function/source-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { KeyedState } from '../../../../src/kernel/runtime/state/keyed-state.js';
import type { KeyedSnapshot } from '../../../../src/kernel/runtime/state/keyed-snapshot.js';
import fc from 'fast-check';
import { normalizeKey } from '../../../../src/kernel/runtime/key/key-encoding.js';
import { SnapshotMismatchError } from '../../../../src/errors/snapshot-mismatch-error.js';
import { StateAccessError } from '../../../../src/errors/state-access-error.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import type { CallContext } from '../../../../src/kernel/runtime/step.js';

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
  const call: CallContext = { key: undefined, input: 0, timestamp: undefined };
  const init = { call, keyed: true, operator: 'op_0', maxParallelism: 128 };

  it('scopes value, list, map, reducing and aggregating state to the current key', () => {
    const state = new KeyedState(init);
    call.key = 'a';
    state.value('n', 0).set(1);
    state.list<number>('l').add(1);
    state.list<number>('l').addAll([2]);
    state.map<string, string>('m').put('x', 'ax');
    state.reducing<number>('r', (a, b) => a + b).add(5);
    state
      .aggregating('avg', {
        createAccumulator: () => [0, 0] as [number, number],
        add: (v: number, [s, n]: [number, number]): [number, number] => [s + v, n + 1],
        getResult: ([s, n]: [number, number]) => s / n,
      })
      .add(4);
    call.key = 'b';
    expect(state.value('n', 0).get()).to.equal(0);
    expect(state.list<number>('l').get()).to.deep.equal([]);
    expect(state.map<string, string>('m').get('x')).to.equal(undefined);
    expect(state.map<string, string>('m').size).to.equal(0);
    expect(state.reducing<number>('r', (a, b) => a + b).get()).to.equal(undefined);
    state.value('n', 0).set(7);
    call.key = 'a';
    expect(state.value('n', 0).get()).to.equal(1);
    expect(state.list<number>('l').get()).to.deep.equal([1, 2]);
    expect([...state.map<string, string>('m').entries()]).to.deep.equal([['x', 'ax']]);
    expect(state.map<string, string>('m').size).to.equal(1);
    state.reducing<number>('r', (a, b) => a + b).add(6);
    expect(state.reducing<number>('r', (a, b) => a + b).get()).to.equal(11);
    expect(state.keys().sort()).to.deep.equal(['a', 'b']);
  });

  it('keeps falsy keys apart: 0, "" and false are distinct keys; -0 is 0', () => {
    const state = new KeyedState(init);
    for (const [k, v] of [
      [0, 'zero'],
      ['', 'empty'],
      [false, 'false'],
    ] as const) {
      call.key = k;
      state.value<string>('v').set(v);
    }
    call.key = '';
    expect(state.value<string>('v').get()).to.equal('empty');
    call.key = -0;
    expect(state.value<string>('v').get()).to.equal('zero');
  });

  it('update(fn) stores fn(current); values are kept as given and a snapshot is a copy', () => {
    const state = new KeyedState(init);
    call.key = 'u';
    const profile = state.value('profile', { visits: 0, pages: [] as string[] });
    profile.update((p) => ({ visits: p.visits + 1, pages: [...p.pages, '/home'] }));
    const before = JSON.stringify(state.snapshot());
    const stored = profile.get();
    stored.pages.push('/annotated');
    expect(Object.isFrozen(stored)).to.equal(false);
    expect(profile.get().pages).to.deep.equal(['/home', '/annotated']);
    expect(JSON.stringify(state.snapshot())).to.not.equal(before);
    expect(before).to.include('/home').and.not.include('/annotated');
  });

  it('clears and deletes; after clear() get() returns the initial value again', () => {
    const state = new KeyedState(init);
    call.key = 1;
    state.value('v', 0).set(3);
    state.map<string, number>('m').put('a', 1);
    state.map<string, number>('m').delete('a');
    expect(state.map<string, number>('m').has('a')).to.equal(false);
    state.value('v', 0).clear();
    expect(state.value('v', 0).get()).to.equal(0);
  });

  it('refuses one name used as two kinds of state', () => {
    const state = new KeyedState(init);
    state.value('x');
    expect(() => state.list('x')).to.throw(TypeError, /another kind/);
  });

  it('gives one handle per name and refuses a name of another kind, whatever the order of asking (property against a plain Map model)', () => {
    type Kind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';
    const sum = (a: number, b: number): number => a + b;
    const adder = { createAccumulator: () => 0, add: sum, getResult: (a: number) => a, merge: sum };
    const ask = (state: KeyedState, kind: Kind, name: string): object => {
      if (kind === 'value') return state.value(name, 0);
      if (kind === 'list') return state.list(name);
      if (kind === 'map') return state.map(name);
      if (kind === 'reducing') return state.reducing(name, sum);
      return state.aggregating(name, adder);
    };
    const kinds: Kind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.constantFrom('a', 'b', 'c')), { maxLength: 40 }),
        (asks) => {
          const state = new KeyedState(init);
          const model = new Map<string, { kind: Kind; handle: object }>();
          for (const [kind, name] of asks) {
            const held = model.get(name);
            if (held !== undefined && held.kind !== kind) {
              expect(() => ask(state, kind, name)).to.throw(TypeError, /another kind/);
              continue;
            }
            const handle = ask(state, kind, name);
            if (held === undefined) model.set(name, { kind, handle });
            else expect(handle).to.equal(held.handle);
          }
        },
      ),
    );
  });

  it('refuses keyed state on an unkeyed input with StateAccessError', () => {
    const state = new KeyedState({ ...init, keyed: false });
    expect(() => state.value('n', 0).get()).to.throw(StateAccessError, /keyBy/);
  });

  it('a snapshot is JSON-compatible, by key group, and restores into a new store (Dates, Maps, odd keys)', () => {
    const state = new KeyedState(init);
    const keys: unknown[] = [{ id: 1 }, new Date(5), '\u0000x', NaN, 'plain', [1, 'a']];
    for (const [i, k] of keys.entries()) {
      call.key = k;
      state.value('n', 0).set(i);
      state.map<string, Date>('m').put('at', new Date(i));
    }
    const snap = JSON.parse(JSON.stringify(state.snapshot())) as KeyedSnapshot;
    for (const group of Object.keys(snap)) expect(Number(group)).to.be.within(0, 127);
    const restored = new KeyedState(init, snap);
    for (const [i, k] of keys.entries()) {
      call.key = k instanceof Date ? new Date(k.getTime()) : structuredClone(k);
      expect(restored.value('n', 0).get()).to.equal(i);
      expect(restored.map<string, Date>('m').get('at')?.getTime()).to.equal(i);
    }
    expect(restored.keys().some((k) => k instanceof Date)).to.equal(true);
  });

  it('snapshots round-trip any keys and values over several states, whatever their column layout (property against a plain Map model)', () => {
    const key = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.date({ noInvalidDate: true }),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const value = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('n', 'x', '__proto__'), key, value), { maxLength: 60 }),
        fc.option(
          fc.record({
            presizeFrom: fc.integer({ min: 0, max: 1 }),
            largeSlots: fc.integer({ min: 1, max: 4 }),
          }),
          { nil: undefined },
        ),
        (writes, snapshotLayout) => {
          const state = new KeyedState({ ...init, maxParallelism: 4, snapshotLayout });
          const model = new Map<string, unknown>();
          for (const [name, k, v] of writes) {
            call.key = k;
            state.value<unknown>(name).set(v);
            model.set(JSON.stringify([name, normalizeKey(k)]), v);
          }
          const snap = JSON.parse(JSON.stringify(state.snapshot() ?? {})) as KeyedSnapshot;
          const restored = new KeyedState(init, snap);
          for (const [name, k] of writes) {
            call.key = k;
            const expected = model.get(JSON.stringify([name, normalizeKey(k)]));
            expect(
              Object.is(restored.value<unknown>(name).get(), expected) ||
                deepEqual(restored.value<unknown>(name).get(), expected),
            ).to.equal(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses saved state that is not a { keys, values } pair of equal-length arrays (SnapshotMismatchError)', () => {
    const bad = { '3': { n: { keys: [1, 2], values: [1] } } } as unknown as KeyedSnapshot;
    expect(() => new KeyedState(init, bad)).to.throw(SnapshotMismatchError, /equal-length/);
    const notArrays = { '3': { n: { keys: 'a', values: 'b' } } } as unknown as KeyedSnapshot;
    expect(() => new KeyedState(init, notArrays)).to.throw(SnapshotMismatchError, /take a new one/);
  });
});

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('keyed state in jobs', () => {
  it('is isolated per key and per instance at parallelism 2', async () => {
    const env = newEnv('isolation');
    const words = ['a', 'b', 'a', 'c', 'a', 'b', 'd', 'c', ...Array.from({ length: 30 }, (_, i) => `w${i}`)];
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
    expect(Object.fromEntries(last)).to.include({ a: 3, b: 2, c: 2, d: 1, w0: 1, w29: 1 });
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
    const snapshot = await jm.snapshotJob(uuid);
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
    const snap = await jm.snapshotJob(await a.submit({ autostop: true }));
    expect(snap.operators.total?.[0]?.fields).to.deep.equal({ total: 6, seen: { $s: [1, 2, 3] } });
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
    const snapshot = await jm.snapshotJob(uuid);
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
