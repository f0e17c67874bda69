import { UsageError } from '../errors/usage-error.js';
import { redisUrlFlag } from './redis-url-flag.js';
import type { JobPlacementOptions } from '../kernel/jobmanager/server/job-placement.js';

/** The `sage jobmanager start` flags that say where jobs run, as parsed (strings, absent when not given). */
export interface PlacementFlags {
  readonly isolation?: string | undefined;
  readonly maxOldGenerationMb?: string | undefined;
  readonly backend?: string | undefined;
  readonly workers?: string | undefined;
  /** `--redis URL` (with `--backend redis`). */
  readonly redis?: string | undefined;
  /** The first `--job-root`: the workers' job root, which Redis jobs name their module relative to. */
  readonly jobRoot?: string | undefined;
}

/**
 * Checks `--isolation thread|none` (default thread), `--max-old-generation-mb N`, `--backend
 * in-process|threads|redis`, `--workers N` (threads only) and `--redis URL` (redis only) and turns them into
 * server options. Under `--backend redis` the jobs run on the `sage worker` processes, so the server builds each
 * module in its own thread only to plan it (`--isolation` does not apply).
 *
 * @example
 * ```ts
 * placementFromFlags({ backend: 'threads', workers: '2' }); // { isolation: 'thread', backend: { kind: 'threads', workers: 2 } }
 * ```
 */
export function placementFromFlags(flags: PlacementFlags): JobPlacementOptions {
  const backend = flags.backend ?? 'in-process';
  if (backend === 'redis') return redisPlacement(flags);
  if (flags.redis !== undefined) throw new UsageError('--redis needs --backend redis');
  const isolation = flags.isolation ?? 'thread';
  if (isolation !== 'thread' && isolation !== 'none') {
    throw new UsageError(`--isolation must be thread or none, got ${JSON.stringify(isolation)}`);
  }
  const heap = positive('--max-old-generation-mb', flags.maxOldGenerationMb);
  if (backend !== 'in-process' && backend !== 'threads') {
    throw new UsageError(`--backend must be in-process, threads or redis, got ${JSON.stringify(backend)}`);
  }
  const workers = positive('--workers', flags.workers);
  if (workers !== undefined && backend !== 'threads') {
    throw new UsageError('--workers needs --backend threads');
  }
  return {
    isolation,
    ...(heap !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heap } } : {}),
    ...(backend === 'threads'
      ? { backend: { kind: 'threads' as const, ...(workers !== undefined ? { workers } : {}) } }
      : {}),
  };
}

function redisPlacement(flags: PlacementFlags): JobPlacementOptions {
  if (flags.redis === undefined)
    throw new UsageError('--backend redis needs --redis URL (or SAGE_REDIS_URL)');
  if (flags.isolation !== undefined || flags.maxOldGenerationMb !== undefined) {
    throw new UsageError(
      '--isolation and --max-old-generation-mb do not apply to --backend redis: the jobs run on the sage worker processes',
    );
  }
  if (flags.workers !== undefined) throw new UsageError('--workers needs --backend threads');
  return {
    isolation: 'none',
    backend: {
      kind: 'redis',
      url: redisUrlFlag(flags.redis),
      ...(flags.jobRoot !== undefined ? { jobRoot: flags.jobRoot } : {}),
    },
  };
}

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}
