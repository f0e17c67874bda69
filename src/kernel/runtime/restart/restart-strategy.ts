import { describeValue } from '../../../errors/describe-value.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/**
 * What happens when a job fails (Flink's restart strategies): `none` fails the job; the others restart it
 * from its latest completed checkpoint (from the beginning when none completed yet), with fresh function
 * objects, after a delay on the job's scheduler.
 *
 * @example
 * ```ts
 * env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1_000 });
 * env.setRestartStrategy({ kind: 'exponential-delay', initialDelayMs: 100, maxDelayMs: 10_000, multiplier: 2 });
 * env.setRestartStrategy({ kind: 'failure-rate', maxFailures: 3, intervalMs: 60_000, delayMs: 1_000 });
 * ```
 */
export type RestartStrategy =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly kind: 'exponential-delay';
      readonly initialDelayMs: number;
      readonly maxDelayMs: number;
      readonly multiplier: number;
    }
  | {
      readonly kind: 'failure-rate';
      readonly maxFailures: number;
      readonly intervalMs: number;
      readonly delayMs: number;
    };

/** The default with checkpointing (Flink's): 1 s doubling to 60 s, no attempt limit. */
export const DEFAULT_CHECKPOINTED_RESTART: RestartStrategy = {
  kind: 'exponential-delay',
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 2,
};

/**
 * Validates a restart strategy given by a user; throws TypeError saying what is wrong.
 *
 * @example
 * ```ts
 * checkRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 100 });
 * ```
 */
export function checkRestartStrategy(value: unknown): RestartStrategy {
  const s = value as Partial<Record<string, unknown>> | null;
  const fail = (what: string, got: unknown = value): never => {
    throw new InvalidArgumentError(`restartStrategy: ${what}, got ${describeValue(got)}`);
  };
  if (s === null || typeof s !== 'object') return fail('expected an object with a kind');
  const count = (name: string, min: number): void => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      fail(`${name} must be an integer ≥ ${String(min)}`, v);
    }
  };
  const ms = (name: string): void => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${name} must be a number of ms ≥ 0`, v);
  };
  switch (s.kind) {
    case 'none':
      break;
    case 'fixed-delay':
      count('attempts', 0);
      ms('delayMs');
      break;
    case 'exponential-delay': {
      ms('initialDelayMs');
      ms('maxDelayMs');
      const m = s.multiplier;
      if (typeof m !== 'number' || !(m >= 1)) fail('multiplier must be a number ≥ 1', m);
      break;
    }
    case 'failure-rate':
      count('maxFailures', 0);
      ms('intervalMs');
      ms('delayMs');
      break;
    default:
      fail("kind must be 'none', 'fixed-delay', 'exponential-delay' or 'failure-rate'");
  }
  return s as RestartStrategy;
}

/**
 * Decides, failure after failure, whether to restart and after how long.
 *
 * @example
 * ```ts
 * const policy = new RestartPolicy({ kind: 'fixed-delay', attempts: 2, delayMs: 10 });
 * policy.next(now); // 10
 * policy.next(now); // 10
 * policy.next(now); // undefined: out of attempts
 * ```
 */
export class RestartPolicy {
  private restarts = 0;
  private readonly failures: number[] = [];

  constructor(private readonly strategy: RestartStrategy) {}

  /** The delay before the next restart after a failure at `now`, or `undefined` to give up. */
  next(now: number): number | undefined {
    const s = this.strategy;
    switch (s.kind) {
      case 'none':
        return undefined;
      case 'fixed-delay':
        if (this.restarts >= s.attempts) return undefined;
        this.restarts++;
        return s.delayMs;
      case 'exponential-delay': {
        const delay = Math.min(s.initialDelayMs * s.multiplier ** this.restarts, s.maxDelayMs);
        this.restarts++;
        return delay;
      }
      case 'failure-rate': {
        this.failures.push(now);
        while (this.failures.length > 0 && (this.failures[0] as number) <= now - s.intervalMs) {
          this.failures.shift();
        }
        if (this.failures.length > s.maxFailures) return undefined;
        this.restarts++;
        return s.delayMs;
      }
    }
  }
}
