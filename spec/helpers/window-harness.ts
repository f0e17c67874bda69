import type { Window, WindowedStreamSpec } from '../../src/index.js';
import { WindowOperator } from '../../src/core/window/window-operator.js';
import { FakeWindowHost } from './fake-window-host.js';

/**
 * A window engine for `spec` on a fresh fake host, ready to drive: `host.process(key, value, t)`,
 * `host.advanceWatermark(w)`, `host.advanceProcessingTime(t)`; results in `host.emitted`.
 *
 * @example
 * ```ts
 * const { host } = windowHarness(WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).reduce(sum));
 * ```
 */
export function windowHarness<K, IN, OUT, W extends Window>(
  spec: WindowedStreamSpec<IN, OUT, K, W>,
): { host: FakeWindowHost<K, OUT, IN>; operator: WindowOperator<K, IN, OUT, W> } {
  const host = new FakeWindowHost<K, OUT, IN>();
  const operator = host.attach(new WindowOperator(spec, host));
  return { host, operator };
}

/** `host.emitted` as `value@timestamp` strings, for compact assertions. */
export function emittedAt<OUT>(host: FakeWindowHost<unknown, OUT>): string[] {
  return host.emitted.map((e) => `${JSON.stringify(e.value)}@${String(e.timestamp)}`);
}
