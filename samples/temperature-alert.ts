// Temperature sensors report now and then; operations want to hear about a sensor that went silent (no
// reading for `silenceMs` of processing time) and about readings that are too hot. A KeyedProcessFunction keeps
// one processing-time timer per sensor, moved on by every reading (the old one is deleted), and sends hot
// readings to a side output. Timers run on the job's scheduler, so the spec runs this in RxJS virtual time.
// Run: npx tsx samples/temperature-alert.ts
import { pathToFileURL } from 'node:url';
import { concatMap, from, map, timer, type Observable } from 'rxjs';
import {
  KeyedProcessFunction,
  LocalEnvironment,
  OutputTag,
  type BaseEnvironment,
  type DataStream,
} from 'sage-kernel';

export interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}

/** The side output of readings above the limit. */
export const tooHot = new OutputTag<Reading>('too-hot');

/** One timer per sensor: each reading moves the sensor's deadline on; a deadline reached means silence. */
export class SilenceAlert extends KeyedProcessFunction<string, Reading, string> {
  constructor(
    private readonly silenceMs: number,
    private readonly maxCelsius: number,
  ) {
    super();
  }

  processElement(r: Reading): undefined {
    if (r.celsius > this.maxCelsius) this.ctx.output(tooHot, r);
    const timers = this.ctx.timerService;
    const deadline = this.ctx.state.value<number | undefined>('deadline');
    const old = deadline.get();
    if (old !== undefined) timers.deleteProcessingTimeTimer(old);
    const next = timers.currentProcessingTime() + this.silenceMs;
    timers.registerProcessingTimeTimer(next);
    deadline.set(next);
    return undefined;
  }

  override onTimer(time: number): string {
    this.ctx.state.value<number | undefined>('deadline').clear();
    return `${String(this.ctx.getKey())} silent since ${String(time - this.silenceMs)}`;
  }
}

/** The pipeline: silence alerts per sensor, and the stream of too-hot readings. */
export function temperatureAlerts(
  env: BaseEnvironment,
  readings: Observable<Reading>,
  silenceMs: number,
  maxCelsius: number,
): { alerts: DataStream<string>; hot: DataStream<string> } {
  const alerts = env
    .fromObservable(readings)
    .keyBy((r) => r.sensor)
    .process(SilenceAlert, { args: [silenceMs, maxCelsius], parallelism: 2, name: 'silence' });
  const hot = alerts.getSideOutput(tooHot).map((r) => `${r.sensor} too hot: ${String(r.celsius)} °C`);
  return { alerts, hot };
}

/** Readings that arrive `gapMs` apart, in real time. */
function paced(readings: readonly Reading[], gapMs: number): Observable<Reading> {
  return from(readings).pipe(concatMap((r) => timer(gapMs).pipe(map(() => r))));
}

/** Runs the pipeline for a moment: the kitchen sensor stops early, the cellar one keeps reporting. */
export async function main(): Promise<string[]> {
  const env = new LocalEnvironment('temperature-alert', { logLevel: 'warn' });
  const out: string[] = [];
  const readings: Reading[] = [
    { sensor: 'kitchen', celsius: 21 },
    { sensor: 'cellar', celsius: 12 },
    { sensor: 'cellar', celsius: 31 },
    ...Array.from({ length: 8 }, () => ({ sensor: 'cellar', celsius: 12 })),
  ];
  const { alerts, hot } = temperatureAlerts(env, paced(readings, 15), 60, 30);
  alerts.sink((line) => {
    out.push(line.replace(/since \d+/, 'since …'));
  });
  hot.sink((line) => {
    out.push(line);
  });
  await env.submit({ autostop: true });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await main());
}
