// RAG ingestion, fully offline, as LLM pipelines do it: documents → chunks → embed (calls gathered into
// batches of 16, retried with backoff on 429, throttled to the API's 200 requests/s) → upsert into a vector
// store. The embedding API is a local fake that answers in batches, fails 10% of its calls with a 429, and
// counts how often its quota of 200 requests per second would have been broken. Every timing runs on the
// job's scheduler, so the spec runs the whole ingestion in virtual time.
// Run: npx tsx samples/rag-ingestion.ts
import { pathToFileURL } from 'node:url';
import { map, type Observable } from 'rxjs';
import {
  BaseService,
  LocalEnvironment,
  MapFunction,
  ServiceFactory,
  type BaseEnvironment,
  type DataStream,
  type JobStatus,
} from 'sage-kernel';

export interface Chunk {
  readonly id: string;
  readonly text: string;
}

export interface Embedded extends Chunk {
  readonly vector: readonly number[];
}

/** Requests per second the fake embedding API allows. */
export const API_REQUESTS_PER_SECOND = 200;
/** Texts the client sends in one request. */
export const BATCH_SIZE = 16;

/** `count` made-up documents of a few sentences each. */
export function makeDocuments(count: number): { id: string; text: string }[] {
  const topics = ['streams', 'services', 'batches', 'retries', 'quotas', 'vectors', 'chunks', 'keys'];
  return Array.from({ length: count }, (_, i) => ({
    id: `doc${String(i)}`,
    text: Array.from(
      { length: 3 + (i % 4) },
      (_, s) =>
        `Sentence ${String(s)} of document ${String(i)} is about ${topics[(i + s) % topics.length] ?? ''}.`,
    ).join(' '),
  }));
}

/** Splits a document into chunks of `words` words, each with a stable id. */
export function chunk(doc: { id: string; text: string }, words = 8): Chunk[] {
  const all = doc.text.split(/\s+/);
  const chunks: Chunk[] = [];
  for (let i = 0; i < all.length; i += words) {
    chunks.push({ id: `${doc.id}#${String(i / words)}`, text: all.slice(i, i + words).join(' ') });
  }
  return chunks;
}

/** A tiny deterministic PRNG (mulberry32), so the fake API fails the same calls on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the fake API saw: the time of every request, the texts it embedded, and quota breaches. */
export class ApiLog {
  readonly requestTimes: number[] = [];
  readonly embedded = new Map<string, number>();
  failures = 0;
  quotaBreaches = 0;
}

/**
 * The fake embedding API: one request embeds a batch of texts (a vector from character codes). 10% of its
 * requests fail with an HTTP-like 429; a request beyond 200 in any one-second window is a quota breach (it is
 * counted and answered with a 429, as a real API would).
 */
export class FakeEmbeddingApi extends BaseService {
  private readonly next: () => number;

  constructor(
    private readonly log: ApiLog,
    seed: number,
  ) {
    super();
    this.next = random(seed);
  }

  processBatch(texts: string[]): number[][] {
    const now = this.ctx.scheduler.now();
    const times = this.log.requestTimes;
    times.push(now);
    let inWindow = 0;
    for (let i = times.length - 1; i >= 0 && (times[i] as number) > now - 1000; i--) inWindow++;
    if (inWindow > API_REQUESTS_PER_SECOND) {
      this.log.quotaBreaches++;
      throw Object.assign(new Error('quota exceeded'), { status: 429 });
    }
    if (this.next() < 0.1) {
      this.log.failures++;
      throw Object.assign(new Error('too many requests'), { status: 429 });
    }
    return texts.map((text) => {
      this.log.embedded.set(text, (this.log.embedded.get(text) ?? 0) + 1);
      return embed(text);
    });
  }
}

function embed(text: string): number[] {
  const v = [0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) v[i % 4] = ((v[i % 4] as number) * 31 + text.charCodeAt(i)) % 1000;
  return v;
}

/** The vector store: upserts by chunk id, counting every write. */
export class VectorStore {
  readonly vectors = new Map<string, readonly number[]>();
  readonly writes = new Map<string, number>();

  upsert(chunk: Embedded): string {
    this.vectors.set(chunk.id, chunk.vector);
    this.writes.set(chunk.id, (this.writes.get(chunk.id) ?? 0) + 1);
    return chunk.id;
  }
}

/** Embeds one chunk through the batching, retrying, rate-limited 'embed' service. */
class EmbedChunk extends MapFunction<Chunk, Embedded> {
  execute(c: Chunk): Observable<Embedded> {
    return this.callService$<number[]>('embed', c.text).pipe(map((vector) => ({ ...c, vector })));
  }
}

/** Writes one embedded chunk to the 'vectors' store. */
class Upsert extends MapFunction<Embedded, string> {
  execute(c: Embedded): Observable<string> {
    return this.callService$<string>({ service: 'vectors', method: 'upsert' }, c);
  }
}

/**
 * Adds the ingestion to `env`: registers the fake API as the 'embed' service (batches of 16, 6 attempts with
 * backoff from 50 ms, 200 requests/s) and the store as 'vectors', and returns the stream of upserted ids.
 */
export function ingestion(
  env: BaseEnvironment,
  documents: readonly { id: string; text: string }[],
  api: ApiLog,
  store: VectorStore,
  seed = 7,
): DataStream<string> {
  env.registerServiceFactory(
    new ServiceFactory('embed', FakeEmbeddingApi, [api, seed], {
      batch: { maxSize: BATCH_SIZE, maxWaitMs: 10 },
      retry: { attempts: 6, initialDelayMs: 50, multiplier: 2, maxDelayMs: 1_000 },
      rateLimit: { perSecond: API_REQUESTS_PER_SECOND, burst: 1 },
      timeout: 30_000,
    }),
  );
  env.registerServiceFactory(new ServiceFactory('vectors', VectorStoreService, [store]));
  return env
    .fromBatch(documents)
    .flatMap((doc) => chunk(doc))
    .map(EmbedChunk, { parallelism: BATCH_SIZE })
    .map(Upsert);
}

/** The store as a service object (the store itself stays readable by the caller). */
class VectorStoreService {
  constructor(private readonly store: VectorStore) {}
  upsert(chunk: Embedded): string {
    return this.store.upsert(chunk);
  }
}

/** Ingests `count` made-up documents in real time and returns what the API and the store saw. */
export async function main(count = 60): Promise<{ api: ApiLog; store: VectorStore; status: JobStatus }> {
  const env = new LocalEnvironment('rag-ingestion', { logLevel: 'warn' });
  const api = new ApiLog();
  const store = new VectorStore();
  ingestion(env, makeDocuments(count), api, store).sink(() => undefined);
  const uuid = await env.submit({ autostop: true });
  return { api, store, status: env.jobManager.getJobStatus(uuid) as JobStatus };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { api, store, status } = await main();
  const embed = status.services.find((s) => s.service === 'embed');
  console.log(
    `${String(store.vectors.size)} chunks upserted; ${String(api.requestTimes.length)} API requests`,
  );
  console.log(`429s: ${String(api.failures)}, quota breaches: ${String(api.quotaBreaches)}`);
  if (embed !== undefined) {
    console.log(
      `embed: ${String(embed.batches)} batches of ${embed.meanBatchSize.toFixed(1)} on average, ` +
        `${String(embed.retries)} retries, ${String(Math.round(embed.throttledMs))} ms throttled`,
    );
  }
}
