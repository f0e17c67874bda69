import { asyncScheduler } from 'rxjs';
import type { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { ShardRunner, type ShardCut } from '../../../../src/kernel/backend/threads/shard-runner.js';
import { loopbackLinks, type PeerLink } from '../../../../src/kernel/backend/threads/peer-link.js';
import { ExecutionGraph } from '../../../../src/kernel/jobmanager/compiler/execution-graph.js';
import type { JobOutcome } from '../../../../src/kernel/runtime/job-outcome.js';
import type { JsonData } from '../../../../src/kernel/runtime/state/json-codec.js';
import type { InstanceSnapshot, JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { ServiceRegistry } from '../../../../src/kernel/runtime/service/service-registry.js';
import log from 'loglevel';

/** What a virtual cluster may start from and how it is tuned. */
export interface ShardOptions {
  readonly restore?: JobSnapshot;
  readonly firstCheckpointId?: number;
  /** Builds each worker's own instances of the environment's services, as a worker thread does. */
  readonly services?: boolean;
}

/** Runs `env`'s pipeline split over `workers` virtual workers in this thread, linked in memory. */
export async function runShards(
  env: LocalEnvironment,
  workers: number,
  batchSize: number,
  credits: number,
  started: (shards: readonly ShardRunner[]) => void = () => undefined,
  options: ShardOptions = {},
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
  const shards = links.map((l, worker) => {
    const services =
      options.services === true
        ? new ServiceRegistry(env.services, {
            jobId: `spec-${String(worker)}`,
            envName: env.name,
            scheduler: asyncScheduler,
            loggerFor: () => logger,
          })
        : undefined;
    services?.start();
    const shard = new ShardRunner(
      plan,
      {
        jobId: 'spec',
        envName: env.name,
        scheduler: asyncScheduler,
        errorPolicy: 'fail',
        highWaterMark: 4,
        config: { ...env.config },
        loggerFor: () => logger,
        services,
        restore: options.restore,
        firstCheckpointId: options.firstCheckpointId ?? 1,
      },
      { worker, workers, links: l, batchSize, credits },
    );
    shard.onEnd(() => void services?.stop());
    return shard;
  });
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

/**
 * Takes checkpoint `id` on every shard (as the coordinator does) and merges their parts into one JobSnapshot.
 */
export function cutShards(shards: readonly ShardRunner[], id: number, job = 'shards'): Promise<JobSnapshot> {
  const parts: ShardCut[] = [];
  return new Promise((resolve) => {
    for (const s of shards) {
      s.onCut((cut) => {
        if (cut.id !== id) return;
        parts.push(cut);
        if (parts.length < shards.length) return;
        const operators: Record<string, InstanceSnapshot[]> = {};
        const inflight: Record<string, Record<string, readonly JsonData[]>> = {};
        for (const p of parts) {
          for (const t of p.state) {
            for (const [name, state] of Object.entries(t.operators))
              (operators[name] ??= [])[t.index] = state;
          }
          for (const [head, instances] of Object.entries(p.inflight)) {
            Object.assign((inflight[head] ??= {}), instances);
          }
        }
        resolve({
          job,
          takenAt: new Date().toISOString(),
          maxParallelism: 128,
          checkpointId: id,
          operators,
          ...(Object.keys(inflight).length > 0 ? { inflight } : {}),
        });
      });
    }
    for (const s of shards) s.checkpoint(id);
  });
}
