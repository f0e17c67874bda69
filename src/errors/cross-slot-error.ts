import { SageError } from './sage-error.js';

/**
 * A script for Redis Cluster would touch keys of more than one hash slot, which the cluster refuses
 * (`CROSSSLOT`). The Redis backend checks the keys of every script before it runs it and throws this instead,
 * naming the keys: every key one task commits must carry the task's hash tag, so a stream a sink writes inside
 * the commit must be named with it (`'{task}:counts'`: the backend puts the task's tag in place of `{task}`).
 *
 * @example
 * ```ts
 * // .sink(LogStreamSink, { args: [{ stream: 'counts' }] }) on Redis Cluster fails with a CrossSlotError;
 * // this one is exactly-once on Redis Cluster (one stream per sink task, in that task's slot):
 * counts.sink(LogStreamSink, { args: [{ stream: '{task}:counts' }] });
 * ```
 */
export class CrossSlotError extends SageError {
  constructor(
    /** The keys of the script, in order. */
    readonly keys: readonly string[],
    /** Their hash slots, in the same order. */
    readonly slots: readonly number[],
    /** The task whose commit it was, when it was one. */
    readonly task?: string,
  ) {
    const first = keys[0] ?? '';
    const slot = slots[0] ?? 0;
    const others = keys
      .map((key, i) => ({ key, slot: slots[i] ?? 0 }))
      .filter((k) => k.slot !== slot)
      .map((k) => `${k.key} (slot ${String(k.slot)})`);
    const tag = task !== undefined ? `{${task}}` : 'the task';
    super(
      `Redis Cluster runs a script only on keys of one hash slot, but ${task !== undefined ? `the commit of task ${task}` : 'a script'} ` +
        `touches ${first} (slot ${String(slot)}) and ${others.join(', ')}. ` +
        `Give every stream a task writes inside its commit the task's hash tag: name a LogStreamSink stream ` +
        `like '{task}:counts' (the Redis backend puts ${tag} in place of '{task}', one stream per sink ` +
        `instance), or use RedisStreamSink, which writes a stream outside the task's slot with its own ` +
        `connection (at-least-once).`,
    );
  }
}
