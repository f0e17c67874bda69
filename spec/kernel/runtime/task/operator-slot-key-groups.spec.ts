import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { SnapshotMismatchError } from '../../../../src/errors/snapshot-mismatch-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';

class Count extends MapFunction<string, number> {
  execute(): number {
    const n = this.ctx.state.value('n', 0);
    n.update((x) => x + 1);
    return n.get();
  }
}

/** A keyed job over three keys that fall into the same key groups under 128 and 64. */
function job(jm: JobManager, maxParallelism: number, perOperator: boolean): LocalEnvironment {
  const env = new LocalEnvironment('key-groups', {
    jobManager: jm,
    logLevel: 'silent',
    ...(perOperator ? {} : { maxParallelism }),
  });
  env
    .fromBatch(['a', 'b', 'c'], { name: 'words' })
    .keyBy((w) => w)
    .map(Count, { name: 'count', parallelism: 2, ...(perOperator ? { maxParallelism } : {}) })
    .sink(() => undefined);
  return env;
}

describe('snapshots record the number of key groups of each instance with keyed state', () => {
  for (const perOperator of [false, true]) {
    it(`a job whose maxParallelism (${perOperator ? 'operator option' : 'environment config'}) changed cannot restore it, whatever the keys`, async () => {
      const jm = new JobManager();
      const uuid = await job(jm, 128, perOperator).submit({ autostop: true });
      const snapshot = JSON.parse(JSON.stringify(await jm.snapshotJob(uuid))) as JobSnapshot;
      const keyed = (snapshot.operators.count ?? []).filter((i) => i.keyed !== undefined);
      expect(keyed.length).to.be.greaterThan(0);
      expect(keyed.map((i) => i.keyGroups)).to.deep.equal(keyed.map(() => 128));
      const refused = await job(jm, 64, perOperator)
        .submit({ autostop: true, restore: snapshot })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(refused).to.be.instanceOf(SnapshotMismatchError);
      await job(jm, 128, perOperator).submit({ autostop: true, restore: snapshot });
    });
  }
});
