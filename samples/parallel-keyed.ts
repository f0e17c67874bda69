// A parallel keyed pipeline: readings of several sensors, parsed at parallelism 3, keyed by sensor and
// averaged per sensor by 4 instances; every sensor is handled by exactly one averaging instance.
import { pathToFileURL } from 'node:url';
import { LocalEnvironment, MapFunction } from 'sage-kernel';

interface Reading {
  readonly sensor: string;
  readonly value: number;
}

/** The running average of one sensor, and the instance that computed it. */
export interface SensorAverage {
  readonly sensor: string;
  readonly count: number;
  readonly average: number;
  readonly instance: number;
}

/** Keeps a running sum and count per sensor (per instance: each sensor lands on one instance). */
class Average extends MapFunction<Reading, SensorAverage> {
  private readonly sums = new Map<string, { sum: number; count: number }>();

  execute(r: Reading): SensorAverage {
    const acc = this.sums.get(r.sensor) ?? { sum: 0, count: 0 };
    acc.sum += r.value;
    acc.count++;
    this.sums.set(r.sensor, acc);
    return {
      sensor: r.sensor,
      count: acc.count,
      average: acc.sum / acc.count,
      instance: this.ctx.parallelIndex,
    };
  }
}

/** `sensor-<s>,<value>` lines: sensor s = i % sensors, value = i. */
function* readings(total: number, sensors: number): Generator<string> {
  for (let i = 0; i < total; i++) yield `sensor-${i % sensors},${i}`;
}

/**
 * Runs the pipeline over `total` readings of `sensors` sensors and returns the final average of each sensor.
 *
 * @example
 * ```ts
 * const averages = await main(); // { 'sensor-0': { count: 100, average: 495, instance: 2 }, … }
 * ```
 */
export async function main(total = 1000, sensors = 10): Promise<Record<string, SensorAverage>> {
  const env = new LocalEnvironment('parallel-keyed');
  const latest: Record<string, SensorAverage> = {};
  env
    .fromBatch(readings(total, sensors))
    .map(
      async (line): Promise<Reading> => {
        await Promise.resolve(); // stands for an async parse or lookup
        const [sensor = '', value = '0'] = line.split(',');
        return { sensor, value: Number(value) };
      },
      { parallelism: 3, name: 'parse' },
    )
    .keyBy((r) => r.sensor)
    .map(Average, { parallelism: 4, name: 'average' })
    .sink((a) => {
      const previous = latest[a.sensor];
      if (previous === undefined || a.count > previous.count) latest[a.sensor] = a;
    });
  await env.submit({ autostop: true });
  return latest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const a of Object.values(await main())) {
    console.log(`${a.sensor}: ${a.count} readings, average ${a.average.toFixed(1)} (instance ${a.instance})`);
  }
}
