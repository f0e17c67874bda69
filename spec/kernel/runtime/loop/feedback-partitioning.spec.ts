import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

interface Token {
  key: string;
  hops: number;
}

/** Counts the visits of each key in keyed state and remembers which instance saw the key. */
class Visit extends MapFunction<Token, Token & { visits: number; instance: number }> {
  execute(t: Token): Token & { visits: number; instance: number } {
    const visits = this.ctx.state.value('visits', 0);
    visits.set(visits.get() + 1);
    return { ...t, visits: visits.get(), instance: this.ctx.parallelIndex };
  }
}

describe('feedback loops keep hash partitioning (DESIGN §7)', () => {
  for (const parallelism of [2, 3, 4]) {
    it(`a keyed record that goes round a loop reaches the instance of its key (parallelism ${String(parallelism)})`, async () => {
      const env = new LocalEnvironment('keyed-loop', { jobManager: new JobManager(), logLevel: 'silent' });
      const keys = Array.from({ length: 12 }, (_, i) => `k${String(i)}`);
      const loop = env.fromFuture<Token>('loop');
      const all = env
        .fromBatch(keys.map((key) => ({ key, hops: 3 })))
        .keyBy((t) => t.key)
        .connect(loop)
        .map(Visit, { parallelism });
      const out: (Token & { visits: number; instance: number })[] = [];
      all.sink((r) => {
        out.push(r);
      });
      all
        .filter((t) => t.hops > 0)
        .map((t) => ({ key: t.key, hops: t.hops - 1 }))
        .fillFuture(loop);
      await env.submit({ autostop: true });
      expect(out).to.have.length(keys.length * 4);
      for (const key of keys) {
        const mine = out.filter((r) => r.key === key);
        expect(new Set(mine.map((r) => r.instance)).size, key).to.equal(1);
        expect(mine.map((r) => r.visits).sort()).to.deep.equal([1, 2, 3, 4]);
      }
    });
  }
});
