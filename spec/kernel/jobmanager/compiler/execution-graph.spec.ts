import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { ExecutionGraph } from '../../../../src/kernel/jobmanager/compiler/execution-graph.js';
import { PipelineBuildError } from '../../../../src/errors/pipeline-build-error.js';
import { MapTransformation } from '../../../../src/core/transformation/map-transformation.js';

describe('ExecutionGraph.compile', () => {
  let env: LocalEnvironment;

  beforeEach(() => {
    env = new LocalEnvironment('plan');
  });

  it('fuses a parallelism-1 chain of stateless steps into one vertex', () => {
    env
      .fromBatch([1], { name: 'src' })
      .map((x) => x, { name: 'm' })
      .filter(() => true, { name: 'f' })
      .flatMap((x) => [x], { name: 'fm' })
      .sink(() => undefined, { name: 'out' });
    const graph = ExecutionGraph.compile(env.pipeline);
    expect(graph.summary()).to.deep.equal([
      { vertex: 0, operators: ['src', 'm', 'f', 'fm', 'out'], parallelism: 1, inputs: [] },
    ]);
    expect(graph.explain()).to.equal('#0 [src:batch → m:map → f:filter → fm:flatMap → out:sink] ×1');
  });

  it('expands parallelism and keeps parallel edges separate (round-robin)', () => {
    env
      .fromBatch([1], { name: 'src' })
      .map((x) => x, { name: 'm', parallelism: 3 })
      .filter(() => true, { name: 'f', parallelism: 3 })
      .sink(() => undefined, { name: 'out' });
    const graph = ExecutionGraph.compile(env.pipeline);
    expect(graph.summary()).to.deep.equal([
      { vertex: 0, operators: ['src'], parallelism: 1, inputs: [] },
      {
        vertex: 1,
        operators: ['m'],
        parallelism: 3,
        inputs: [{ from: 0, partitioning: 'round-robin', input: 0 }],
      },
      {
        vertex: 2,
        operators: ['f'],
        parallelism: 3,
        inputs: [{ from: 1, partitioning: 'round-robin', input: 0 }],
      },
      {
        vertex: 3,
        operators: ['out'],
        parallelism: 1,
        inputs: [{ from: 2, partitioning: 'round-robin', input: 0 }],
      },
    ]);
    expect(graph.explain().split('\n')[1]).to.equal('#1 [m:map] ×3 ← #0 (round-robin)');
  });

  it('fuses keyBy into its producer and routes the next hop by hash, staying keyed until the next keyBy', () => {
    env
      .fromBatch([1], { name: 'src' })
      .keyBy((x) => x, { name: 'k' })
      .map((x) => x, { name: 'm', parallelism: 2 })
      .filter(() => true, { name: 'f', parallelism: 2 })
      .sink(() => undefined, { name: 'out', parallelism: 3 });
    const graph = ExecutionGraph.compile(env.pipeline);
    expect(graph.summary().map((v) => [v.operators, v.inputs.map((i) => i.partitioning)])).to.deep.equal([
      [['src', 'k'], []],
      [['m', 'f'], ['hash']],
      [['out'], ['hash']],
    ]);
  });

  it('keeps the hash edge right after a keyBy separate, and fuses everything at parallelism 1', () => {
    env
      .fromBatch([1], { name: 'src' })
      .keyBy((x) => x, { name: 'k', parallelism: 2 })
      .map((x) => x, { name: 'm', parallelism: 2 });
    env
      .fromBatch([2], { name: 'src2' })
      .keyBy((x) => x, { name: 'k2' })
      .map((x) => x, { name: 'm2' });
    const graph = ExecutionGraph.compile(env.pipeline);
    expect(graph.summary().map((v) => [v.operators, v.inputs.map((i) => i.partitioning)])).to.deep.equal([
      [['src'], []],
      [['k'], ['round-robin']],
      [['m'], ['hash']],
      [['src2', 'k2', 'm2'], []],
    ]);
  });

  it('routes broadcast and round-robin keyBy strategies for the next hop only', () => {
    const src = env.fromBatch([1], { name: 'src' });
    src
      .keyBy((x) => x, { name: 'kb', strategy: 'broadcast' })
      .map((x) => x, { name: 'mb', parallelism: 2 })
      .map((x) => x, { name: 'after', parallelism: 2 });
    const graph = ExecutionGraph.compile(env.pipeline);
    const byName = new Map(graph.summary().map((v) => [v.operators[0], v]));
    expect(byName.get('mb')!.inputs[0]!.partitioning).to.equal('broadcast');
    expect(byName.get('after')!.inputs[0]!.partitioning).to.equal('round-robin');
  });

  it('does not fuse a fan-out: each consumer gets its own vertex', () => {
    const src = env.fromBatch([1], { name: 'src' });
    src.map((x) => x, { name: 'a' });
    src.map((x) => x, { name: 'b' });
    const graph = ExecutionGraph.compile(env.pipeline);
    expect(graph.summary().map((v) => v.operators)).to.deep.equal([['src'], ['a'], ['b']]);
    expect(graph.vertices[0]!.outputs).to.have.length(2);
  });

  it('keeps every transformation in its own vertex with fusion off', () => {
    env
      .fromBatch([1], { name: 'src' })
      .map((x) => x, { name: 'm' })
      .sink(() => undefined, { name: 'out' });
    const graph = ExecutionGraph.compile(env.pipeline, { fusion: false });
    expect(graph.summary().map((v) => v.operators)).to.deep.equal([['src'], ['m'], ['out']]);
  });

  it('shows the plan in the job status', async () => {
    const out: number[] = [];
    env
      .fromBatch([1, 2], { name: 'src' })
      .map((x) => x, { name: 'm', parallelism: 2 })
      .sink(
        (x) => {
          out.push(x);
        },
        { name: 'out' },
      );
    const uuid = await env.submit({ autostop: true });
    const status = env.jobManager.getJobStatus(uuid);
    expect(status.status !== 'not_found' && status.plan.map((v) => v.operators)).to.deep.equal([
      ['src'],
      ['m'],
      ['out'],
    ]);
    expect(out).to.have.length(2);
  });

  it('refuses a pipeline without a source, or with an input from elsewhere', () => {
    expect(() => ExecutionGraph.compile([])).to.throw(PipelineBuildError, /no source/);
    const other = new LocalEnvironment('other');
    const foreign = other.fromBatch([1]);
    const stray = new MapTransformation(
      { name: 'stray', parallelism: 1, inputs: [foreign.transformation] },
      { label: 'stray', create: () => ({ execute: (x: unknown) => x }) },
    );
    env.fromBatch([1]);
    expect(() => ExecutionGraph.compile([...env.pipeline, stray])).to.throw(
      PipelineBuildError,
      /not part of this pipeline/,
    );
  });
});

describe('ExecutionGraph: futures', () => {
  it('a future filled with a stream that does not depend on it is an ordinary input, not a feedback edge', async () => {
    const { LocalEnvironment } = await import('../../../../src/core/api/local-environment.js');
    const { JobManager } = await import('../../../../src/kernel/jobmanager/job-manager.js');
    const env = new LocalEnvironment('no-loop', { jobManager: new JobManager(), logLevel: 'silent' });
    const future = env.fromFuture<number>('later');
    const out: number[] = [];
    let closedAt = -1;
    future.sink({
      next: (x: number) => {
        out.push(x);
      },
      complete: () => {
        closedAt = out.length;
      },
    });
    env
      .fromBatch([1, 2, 3])
      .map(async (x) => {
        await new Promise((resolve) => setImmediate(resolve));
        return x;
      })
      .fillFuture(future);
    expect(env.explain()).to.not.match(/feedback/);
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([1, 2, 3]);
    expect(closedAt).to.equal(3);
  });
});
