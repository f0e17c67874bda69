// Three sensors connected into one stream; coMap handles each input with its own handler.
// Run: npx tsx samples/sensor-comap.ts
import { pathToFileURL } from 'node:url';
import { BaseCoMapFunction, LocalEnvironment } from 'sage-kernel';

export interface Reading {
  readonly sensor: string;
  readonly value: number;
  readonly unit: string;
}

/** Normalizes each sensor's raw reading into a common shape. */
export class Normalize extends BaseCoMapFunction {
  map0(celsius: number): Reading {
    return { sensor: 'temperature', value: celsius, unit: '°C' };
  }

  map1(percent: number): Reading {
    return { sensor: 'humidity', value: percent / 100, unit: 'ratio' };
  }

  map2(hectopascal: number): Reading {
    return { sensor: 'pressure', value: hectopascal * 100, unit: 'Pa' };
  }
}

/** Runs the pipeline and returns the readings grouped by sensor. */
export async function main(): Promise<Record<string, number[]>> {
  const env = new LocalEnvironment('sensors', { logLevel: 'warn' });
  const bySensor: Record<string, number[]> = {};
  env
    .fromBatch([21.5, 22, 22.4])
    .connect(env.fromBatch([40, 45]))
    .connect(env.fromBatch([1013, 1009]))
    .coMap(Normalize)
    .sink((r) => {
      (bySensor[r.sensor] ??= []).push(r.value);
    });
  await env.submit({ autostop: true });
  return bySensor;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await main());
}
