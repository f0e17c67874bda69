import { expect } from 'chai';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { ExecutionGraph } from '../../../src/kernel/jobmanager/compiler/execution-graph.js';
import { planFingerprint } from '../../../src/kernel/jobmanager/plan-fingerprint.js';

const KEYED_SUM = new URL('../../fixtures/jobs/keyed-sum.ts', import.meta.url);

async function fingerprintOf(args: { parallelism?: number }, exportName = 'default'): Promise<string> {
  const env = await LocalEnvironment.fromModule(KEYED_SUM, { args, export: exportName });
  return planFingerprint(ExecutionGraph.compile(env.pipeline), env.origin?.moduleHash ?? '');
}

describe('planFingerprint', () => {
  it('is the same for the same module and args, whatever was built before in the process', async () => {
    const first = await fingerprintOf({ parallelism: 3 });
    const other = new LocalEnvironment('noise');
    other
      .fromBatch([1])
      .map((x) => x)
      .sink(() => undefined);
    ExecutionGraph.compile(other.pipeline);
    expect(await fingerprintOf({ parallelism: 3 })).to.equal(first);
  });

  it('changes with the plan (parallelism, names, fusion) and with the module file hash', async () => {
    const env = await LocalEnvironment.fromModule(KEYED_SUM, { args: { parallelism: 3 } });
    const graph = ExecutionGraph.compile(env.pipeline);
    const base = planFingerprint(graph, 'a');
    expect(planFingerprint(graph, 'b')).to.not.equal(base);
    expect(await fingerprintOf({ parallelism: 2 })).to.not.equal(await fingerprintOf({ parallelism: 3 }));
    expect(planFingerprint(ExecutionGraph.compile(env.pipeline, { fusion: false }), 'a')).to.not.equal(base);
    const renamed = new LocalEnvironment('x');
    renamed.fromBatch([1], { name: 'a' }).sink(() => undefined, { name: 'b' });
    const renamed2 = new LocalEnvironment('x');
    renamed2.fromBatch([1], { name: 'a' }).sink(() => undefined, { name: 'c' });
    expect(planFingerprint(ExecutionGraph.compile(renamed.pipeline), '')).to.not.equal(
      planFingerprint(ExecutionGraph.compile(renamed2.pipeline), ''),
    );
  });

  it('tells apart the plans of a builder that branches on Math.random()', async () => {
    const prints = new Set([
      await fingerprintOf({}, 'random'),
      await fingerprintOf({}, 'random'),
      await fingerprintOf({}, 'random'),
      await fingerprintOf({}, 'random'),
    ]);
    expect(prints.size).to.be.greaterThan(1);
  });
});
