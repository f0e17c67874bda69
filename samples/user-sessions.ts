// Clicks of users on a site, with their event time. A session is a run of clicks with no pause longer than
// 30 minutes; the job reports each user's sessions (start, end, number of clicks, pages seen) once the watermark
// passed their end: event-time session windows on a keyed stream, with a ProcessWindowFunction that sees the
// session's clicks. Sessions merge as clicks arrive out of order.
// Run: npx tsx samples/user-sessions.ts
import { pathToFileURL } from 'node:url';
import {
  EventTimeSessionWindows,
  LocalEnvironment,
  ProcessWindowFunction,
  WatermarkStrategy,
  type DataStream,
  type TimeWindow,
} from 'sage-kernel';

export interface Click {
  readonly user: string;
  readonly page: string;
  /** Event time in ms. */
  readonly time: number;
}

export interface Session {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly clicks: number;
  readonly pages: readonly string[];
}

const MINUTE = 60_000;

/** Summarises one session from its clicks. */
export class SessionSummary extends ProcessWindowFunction<Click, Session, string, TimeWindow> {
  process(user: string, window: TimeWindow, clicks: readonly Click[]): Session[] {
    const pages = [...new Set(clicks.map((c) => c.page))].sort();
    return [{ user, start: window.start, end: window.end, clicks: clicks.length, pages }];
  }
}

/** The pipeline: sessions per user with a 30-minute gap. */
export function userSessions(clicks: DataStream<Click>, gapMs = 30 * MINUTE): DataStream<Session> {
  return clicks
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrderness<Click>(5 * MINUTE).withTimestampAssigner((c) => c.time),
    )
    .keyBy((c) => c.user)
    .window<TimeWindow, string>(EventTimeSessionWindows.withGap(gapMs))
    .process(SessionSummary, { parallelism: 2, name: 'sessions' });
}

/** A morning of clicks: ann has two sessions, bob one (his clicks arrive out of order). */
export const morning: Click[] = [
  { user: 'ann', page: '/home', time: 0 },
  { user: 'bob', page: '/home', time: 2 * MINUTE },
  { user: 'ann', page: '/shop', time: 10 * MINUTE },
  { user: 'bob', page: '/cart', time: 40 * MINUTE },
  { user: 'bob', page: '/shop', time: 20 * MINUTE }, // late by 20 minutes: merges bob's two sessions
  { user: 'ann', page: '/home', time: 90 * MINUTE },
];

/** Runs the job over the morning's clicks and returns the sessions. */
export async function main(): Promise<Session[]> {
  const env = new LocalEnvironment('user-sessions', { logLevel: 'warn' });
  const out: Session[] = [];
  userSessions(env.fromBatch(morning)).sink((s) => {
    out.push(s);
  });
  await env.submit({ autostop: true });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const s of await main()) {
    console.log(
      `${s.user}: ${String(s.start / MINUTE)}–${String(s.end / MINUTE)} min, ${String(s.clicks)} clicks`,
    );
  }
}
