/** Which per-record function of a `pipe` step is compiled. */
export type PipeStepPart =
  'instance' | 'keyed' | 'keyed-idle' | 'instance-idle' | 'emit' | 'instance-loop' | 'instance-idle-loop';

/**
 * Keys below this bound that are whole non-negative numbers find their chain in an array slot instead of the
 * step's `Map` (an array read is several times cheaper than a `Map` lookup, and numbered keys are common:
 * sensor and account ids, partitions, `x % n`). The bound keeps that array small (at most 512 KiB) whatever
 * the key space; larger keys and every other key go through the `Map`.
 */
export const INDEXED_KEYS = 65_536;

/**
 * The names the generated functions are given, in order (our own identifiers, never user text): the step,
 * the job gate, the operator's counters, the array of indexed chains, the job's scheduler, the next step, the
 * `Map` of the keyed chains by normalized key.
 */
export const PIPE_PARAMETERS = ['step', 'gate', 'metrics', 'indexed', 'scheduler', 'out', 'chains'];

/**
 * The names an array loop (see {@link PipeStepPart}) is given after {@link PIPE_PARAMETERS}: the instance it runs
 * in (its `interrupted` flag) and the source's counters.
 */
export const LOOP_PARAMETERS = ['host', 'source'];

/** How a record finds its chain: the instance's one chain (started again by a record after it failed). */
const FIND_INSTANCE = `
  var chain = step.chain;
  if (chain === undefined) chain = step.begin();`;

/**
 * How a record finds its chain on a keyed stream: a small whole-number key in the array of indexed chains,
 * another primitive key by the chain of the latest record when it has the same key, a string key (which is its
 * own normalized form unless it starts with U+0000) in the step's `Map`, which then remembers it as the latest,
 * else through `chainOf` (which encodes the key, and starts the chain on the key's first record; `undefined`
 * when the key cannot be encoded).
 */
const FIND_KEYED = `
  var chain;
  if (typeof key === 'number' && (key | 0) === key && key >= 0 && key < ${String(INDEXED_KEYS)}) chain = indexed[key];
  else {
    chain = step.recent;
    if (chain === undefined || chain.key !== key) {
      chain = typeof key === 'string' && key.charCodeAt(0) !== 0 ? chains.get(key) : undefined;
      if (chain !== undefined) step.recent = chain;
    }
  }
  if (chain === undefined) { chain = step.chainOf(key); if (chain === undefined) return; }`;

/**
 * The entry of a record: counted in, dropped once the job stopped or the input ended, its chain found, its
 * time noted (with an idle timeout), its event time kept as the latest the chain saw, then handed to the
 * chain's input (the first operator's subscriber: no Subject, no extra subscriber in front of it) the way
 * RxJS's `Subscriber.next` does it, inline (see `pipe-chain-input.ts`); dropped while the chain's source is not
 * subscribed yet.
 */
const ENTRY = `
  metrics.in++;
  if (gate.stopped || step.ending) return;
  FIND
  IDLE
  if (timestamp !== undefined && !(timestamp <= chain.timestamp)) chain.timestamp = timestamp;
  var input = chain.input;
  if (input === undefined) return;
  if (input.isStopped) input.next(value); else input._next(value);`;

/**
 * The end of a chain (called with the chain as `this` by its last operator): nothing once the chain ended,
 * else counted out and passed straight to the next step with the chain's key and latest event time, or held
 * back while the job is paused.
 */
const EMIT = `
  if (this.ended) return;
  metrics.out++;
  if (gate.halted) { this.later(value); return; }
  out.next(value, this.key, this.timestamp);`;

/**
 * An array source's pull loop fused with the entry of an unkeyed `pipe` step at the head of its chain (the same
 * contract as the compiled steps' loops, `compiled-step.ts`): reads `cursor.items` from `cursor.index` up to
 * `end`, counts the records as the source's output (each as it goes with `countEachRecord`, else all when it
 * returns) and runs the entry inline, where an entry that drops a
 * record goes on with the next one. It stops before a record when its host was interrupted or the job halted
 * or paused, leaves `cursor.index` past the last record it took, and counts the records in when it returns.
 */
const LOOP = `
  var items = cursor.items, index = cursor.index, value, key, timestamp, entered = 0, sourced = 0;
  try {
    records: while (index < end) {
      if (host.interrupted || gate.halted || gate.paused) break;
      value = items[index++];
      SOURCED
BODY
    }
  } finally {
    cursor.index = index;
    metrics.in += entered;
    source.out += sourced;
  }`;

let serial = 0;

/**
 * The source text of one compiled part of a `pipe` step: a fixed template per part plus a serial number. It is
 * built only from the constant strings above and integers, so no user-provided text (operator names, record
 * values, keys) can ever reach it: user objects are passed to the generated function as parameters.
 *
 * @example
 * ```ts
 * const code = pipeStepSource('keyed', 3); // "'use strict'; // compiled pipe keyed 3 ..."
 * ```
 */
export function pipeStepSource(part: PipeStepPart, id: number, countEachRecord = false): string {
  if (!Number.isSafeInteger(id)) throw new RangeError(`a compiled step id is an integer, got ${String(id)}`);
  if (part === 'emit') {
    return `'use strict';\n// compiled pipe emit ${String(id)}\nreturn function next(value) {${EMIT}\n};`;
  }
  const keyed = part === 'keyed' || part === 'keyed-idle';
  const idle = part === 'keyed-idle' || part === 'instance-idle' || part === 'instance-idle-loop';
  const body = ENTRY.replace('FIND', keyed ? FIND_KEYED : FIND_INSTANCE).replace(
    'IDLE',
    idle ? 'chain.last = scheduler.now();' : '',
  );
  if (part === 'instance-loop' || part === 'instance-idle-loop') {
    const inLoop = body.replace('metrics.in++;', 'entered++;').replace(/\breturn;/g, 'continue records;');
    const loop = LOOP.replace('SOURCED', countEachRecord ? 'source.out++;' : 'sourced++;').replace(
      'BODY',
      inLoop,
    );
    return `'use strict';\n// compiled pipe ${part} ${String(id)}\nreturn function pull(cursor, end) {${loop}\n};`;
  }
  return `'use strict';\n// compiled pipe ${part} ${String(id)}\nreturn function next(value, key, timestamp) {${body}\n};`;
}

/**
 * Compiles one part of one `pipe` step instance. Each instance gets its own copy (the serial makes the text
 * unique, so V8 shares no function, and no type feedback, between instances): its call sites (the counters,
 * the chain's input, the next step's `next`) see only this instance's objects, so they stay monomorphic and the
 * next step can be inlined, whatever other pipelines ran in the process before.
 *
 * @example
 * ```ts
 * const emit = compilePipePart('emit', [step, gate, metrics, undefined, scheduler, out, undefined]);
 * ```
 */
export function compilePipePart<F>(part: PipeStepPart, args: readonly unknown[], countEachRecord = false): F {
  const names = part.endsWith('-loop') ? [...PIPE_PARAMETERS, ...LOOP_PARAMETERS] : PIPE_PARAMETERS;
  const code = pipeStepSource(part, ++serial, countEachRecord);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...names, code) as (...a: readonly unknown[]) => F;
  return factory(...args);
}
