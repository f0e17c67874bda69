// Sensors report in bursts; downstream wants one reading per sensor once its burst is over. An RxJS
// debounceTime runs per key inside a keyed pipeline (stream.pipe), and keyed state after it counts the bursts.
// Run: npx tsx samples/sensor-debounce.ts
import { pathToFileURL } from 'node:url';
import { debounceTime, from, type Observable } from 'rxjs';
import { LocalEnvironment, MapFunction, type BaseEnvironment, type DataStream } from 'sage-kernel';

export interface Reading {
  readonly sensor: string;
  readonly value: number;
}

/** Numbers each sensor's settled readings with keyed state (the pipe step keeps the key). */
export class NumberBursts extends MapFunction<Reading, string> {
  execute(r: Reading): string {
    const bursts = this.ctx.state.value('bursts', 0);
    bursts.update((n) => n + 1);
    return `${r.sensor}#${String(bursts.get())}=${String(r.value)}`;
  }
}

/** The pipeline: the last reading of each sensor's burst, once the sensor was quiet for `quietMs`. */
export function settledReadings(
  env: BaseEnvironment,
  readings: Observable<Reading>,
  quietMs: number,
): DataStream<string> {
  return env
    .fromObservable(readings)
    .keyBy((r) => r.sensor)
    .pipe(debounceTime<Reading>(quietMs), { name: 'settle', parallelism: 2 })
    .map(NumberBursts);
}

/** Runs the pipeline over a finished batch: the end of input flushes each sensor's last reading. */
export async function main(): Promise<string[]> {
  const env = new LocalEnvironment('sensor-debounce', { logLevel: 'warn' });
  const out: string[] = [];
  const batch: Reading[] = [
    { sensor: 'north', value: 1 },
    { sensor: 'south', value: 7 },
    { sensor: 'north', value: 2 },
  ];
  settledReadings(env, from(batch), 50).sink((line) => {
    out.push(line);
  });
  await env.submit({ autostop: true });
  return out.sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await main());
}
