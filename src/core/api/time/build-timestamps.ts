import { InvalidDurationError } from '../../../errors/invalid-duration-error.js';
import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';
import { TimestampsTransformation } from '../../transformation/timestamps-transformation.js';
import type { Transformation } from '../../transformation/transformation.js';
import type { BaseEnvironment } from '../base-environment.js';
import type { ChainOptions } from '../chain-options.js';
import { WatermarkStrategy } from './watermark-strategy.js';

/** Default of config `autoWatermarkIntervalMs`: ms of the job's scheduler between two periodic watermarks. */
export const DEFAULT_AUTO_WATERMARK_INTERVAL_MS = 200;

/**
 * Adds `assignTimestampsAndWatermarks(strategy)` after `input` (at its parallelism unless the options say
 * otherwise) and returns its transformation. Checks the strategy and config `autoWatermarkIntervalMs` at once.
 *
 * @example
 * ```ts
 * const t = buildTimestamps(env, stream.transformation, WatermarkStrategy.forMonotonousTimestamps(), undefined);
 * ```
 */
export function buildTimestamps(
  env: BaseEnvironment,
  input: Transformation,
  strategy: unknown,
  options: ChainOptions | undefined,
): TimestampsTransformation {
  if (!(strategy instanceof WatermarkStrategy)) {
    throw new InvalidFunctionError(
      'assignTimestampsAndWatermarks',
      'a WatermarkStrategy (e.g. WatermarkStrategy.forBoundedOutOfOrderness(ms))',
      strategy,
    );
  }
  const interval: unknown = env.config.autoWatermarkIntervalMs ?? DEFAULT_AUTO_WATERMARK_INTERVAL_MS;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    throw new InvalidDurationError(
      'config autoWatermarkIntervalMs',
      interval,
      'a finite number of milliseconds > 0',
    );
  }
  const init = env.operatorInit('timestamps', undefined, { parallelism: input.parallelism, ...options }, [
    input,
  ]);
  const t = new TimestampsTransformation(init, (strategy as WatermarkStrategy<unknown>).toSpec(), interval);
  env.addTransformation(t);
  return t;
}
