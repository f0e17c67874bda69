import { asyncScheduler } from 'rxjs';
import type { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { ShardRunner } from '../../../../src/kernel/backend/threads/shard-runner.js';
import { loopbackLinks, type PeerLink } from '../../../../src/kernel/backend/threads/peer-link.js';
import { ExecutionGraph } from '../../../../src/kernel/jobmanager/compiler/execution-graph.js';
import type { JobOutcome } from '../../../../src/kernel/runtime/job-outcome.js';
import log from 'loglevel';

/** Runs `env`'s pipeline split over `workers` virtual workers in this thread, linked in memory. */
export async function runShards(
  env: LocalEnvironment,
  workers: number,
  batchSize: number,
  credits: number,
  started: (shards: readonly ShardRunner[]) => void = () => undefined,
): Promise<JobOutcome[]> {
  const plan = ExecutionGraph.compile(env.pipeline);
  const links: (PeerLink | undefined)[][] = Array.from({ length: workers }, () =>
    new Array<PeerLink | undefined>(workers).fill(undefined),
  );
  for (let a = 0; a < workers; a++) {
    for (let b = a + 1; b < workers; b++) {
      const [ab, ba] = loopbackLinks();
      (links[a] as (PeerLink | undefined)[])[b] = ab;
      (links[b] as (PeerLink | undefined)[])[a] = ba;
    }
  }
  const logger = log.getLogger('spec:shards');
  logger.setLevel('silent');
  const shards = links.map(
    (l, worker) =>
      new ShardRunner(
        plan,
        {
          jobId: 'spec',
          envName: env.name,
          scheduler: asyncScheduler,
          errorPolicy: 'fail',
          highWaterMark: 4,
          loggerFor: () => logger,
        },
        { worker, workers, links: l, batchSize, credits },
      ),
  );
  const ends = shards.map(
    (s) =>
      new Promise<JobOutcome>((resolve) => {
        s.onEnd(resolve);
      }),
  );
  for (const s of shards) s.build();
  for (const s of shards) s.start();
  started(shards);
  return Promise.all(ends);
}
