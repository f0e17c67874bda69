import { LogOptionsError } from '../../../errors/log-options-error.js';
import { describeValue } from '../../../errors/describe-value.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

/**
 * Checks the logging options of an environment's config: `logLevel` (a loglevel level name or number 0–5),
 * `logSink` (a function) and `errorSummaryIntervalMs` (a positive number of ms); throws LogOptionsError saying
 * what to pass instead.
 *
 * @example
 * ```ts
 * checkLogOptions({ logLevel: 'info', errorSummaryIntervalMs: 60_000 }, 'environment etl');
 * ```
 */
export function checkLogOptions(config: Readonly<Record<string, unknown>>, where: string): void {
  const level = config['logLevel'];
  if (level !== undefined) {
    const ok =
      (typeof level === 'string' && LEVELS.includes(level.toLowerCase())) ||
      (typeof level === 'number' && Number.isInteger(level) && level >= 0 && level <= 5);
    if (!ok) {
      throw new LogOptionsError(
        `${where}: logLevel`,
        `must be one of ${LEVELS.map((l) => `'${l}'`).join(', ')} (or 0–5), got ${describeValue(level)}`,
      );
    }
  }
  const sink = config['logSink'];
  if (sink !== undefined && typeof sink !== 'function') {
    throw new LogOptionsError(
      `${where}: logSink`,
      `must be a function (record) => void that receives each log record, got ${describeValue(sink)}`,
    );
  }
  const ms = config['errorSummaryIntervalMs'];
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)) {
    throw new LogOptionsError(
      `${where}: errorSummaryIntervalMs`,
      `must be a positive number of milliseconds (default 10000), got ${describeValue(ms)}`,
    );
  }
}
