// A shop exports its sales as CSV lines `time,product,amount`, not in time order (tills upload late). The job
// sums the sales per product and hour of event time: tumbling event-time windows on a keyed stream, watermarks
// that allow records up to 15 minutes out of order, and a late side output for the lines that arrive after
// their hour was reported (here: a correction file that comes in shortly after the day's export).
// Run: npx tsx samples/hourly-sales.ts
import { pathToFileURL } from 'node:url';
import { concat, delay, from, type Observable } from 'rxjs';
import {
  LocalEnvironment,
  OutputTag,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type BaseEnvironment,
  type DataStream,
  type TimeWindow,
} from 'sage-kernel';

export interface Sale {
  /** Event time in ms. */
  readonly time: number;
  readonly product: string;
  readonly amount: number;
}

export interface HourlySales {
  readonly product: string;
  /** Start of the hour (ms). */
  readonly hour: number;
  readonly total: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Lines that arrive after their hour was reported. */
export const lateSales = new OutputTag<Sale>('late-sales');

/** Parses one CSV line `time,product,amount` (time in ms). */
export function parseSale(line: string): Sale {
  const [time = '', product = '', amount = ''] = line.split(',');
  return { time: Number(time), product, amount: Number(amount) };
}

/** The pipeline: hourly totals per product, and the late sales as a side stream. */
export function hourlySales(
  env: BaseEnvironment,
  lines: Observable<string>,
): { totals: DataStream<HourlySales>; late: DataStream<Sale> } {
  const totals = env
    .fromObservable(lines)
    .map(parseSale)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrderness<Sale>(15 * MINUTE).withTimestampAssigner((s) => s.time),
    )
    .keyBy((s) => s.product)
    .window(TumblingEventTimeWindows.of(HOUR))
    .sideOutputLateData(lateSales)
    .aggregate(
      {
        createAccumulator: () => 0,
        add: (s: Sale, total: number) => total + s.amount,
        getResult: (total: number) => total,
      },
      (product: unknown, window: TimeWindow, [total]: readonly number[]): HourlySales => ({
        product: String(product),
        hour: window.start,
        total: total ?? 0,
      }),
      { parallelism: 2, name: 'hourly' },
    );
  return { totals, late: totals.getSideOutput(lateSales) };
}

/** The day's export (out of order within 15 minutes) and a correction file with a sale of 00:40. */
export const exportLines = [
  `${10 * MINUTE},tea,3`,
  `${5 * MINUTE},coffee,4`,
  `${50 * MINUTE},tea,2`,
  `${HOUR + 5 * MINUTE},coffee,5`,
  `${55 * MINUTE},coffee,1`, // out of order, within 15 minutes: counted in hour 0
  `${HOUR + 30 * MINUTE},tea,7`,
  `${3 * HOUR},tea,1`,
];
export const correctionLines = [`${40 * MINUTE},tea,9`];

/** Runs the job: the export at once, the correction file 300 ms later (after a watermark passed 01:00). */
export async function main(): Promise<{ totals: HourlySales[]; late: Sale[] }> {
  const env = new LocalEnvironment('hourly-sales', { logLevel: 'warn', autoWatermarkIntervalMs: 50 });
  const totals: HourlySales[] = [];
  const late: Sale[] = [];
  const lines = concat(from(exportLines), from(correctionLines).pipe(delay(300)));
  const job = hourlySales(env, lines);
  job.totals.sink((t) => {
    totals.push(t);
  });
  job.late.sink((s) => {
    late.push(s);
  });
  await env.submit({ autostop: true });
  return { totals, late };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { totals, late } = await main();
  for (const t of totals) console.log(`${t.product} hour ${String(t.hour / HOUR)}: ${String(t.total)}`);
  for (const s of late)
    console.log(`late: ${s.product} ${String(s.amount)} at ${String(s.time / MINUTE)} min`);
}
