import { UsageError } from '../errors/usage-error.js';
import type { JobPlacementOptions } from '../kernel/jobmanager/server/job-placement.js';

/** The `sage jobmanager start` flags that say where jobs run, as parsed (strings, absent when not given). */
export interface PlacementFlags {
  readonly isolation?: string | undefined;
  readonly maxOldGenerationMb?: string | undefined;
  readonly backend?: string | undefined;
  readonly workers?: string | undefined;
}

/**
 * Checks `--isolation thread|none` (default thread), `--max-old-generation-mb N`, `--backend
 * in-process|threads` and `--workers N` (threads only) and turns them into server options.
 *
 * @example
 * ```ts
 * placementFromFlags({ backend: 'threads', workers: '2' }); // { isolation: 'thread', backend: { kind: 'threads', workers: 2 } }
 * ```
 */
export function placementFromFlags(flags: PlacementFlags): JobPlacementOptions {
  const isolation = flags.isolation ?? 'thread';
  if (isolation !== 'thread' && isolation !== 'none') {
    throw new UsageError(`--isolation must be thread or none, got ${JSON.stringify(isolation)}`);
  }
  const heap = positive('--max-old-generation-mb', flags.maxOldGenerationMb);
  const backend = flags.backend ?? 'in-process';
  if (backend !== 'in-process' && backend !== 'threads') {
    throw new UsageError(`--backend must be in-process or threads, got ${JSON.stringify(backend)}`);
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

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}
