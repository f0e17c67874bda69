// Retrieval-augmented generation, fully offline, as SAGE users build it: questions → a retriever service
// (TF-IDF over an in-memory document index) → a prompt-building map → a generator service (a deterministic
// template instead of a model) → sink. The same chain is also registered as a pipeline service, `ask`, that
// another pipeline calls with callService.
// Run: npx tsx samples/rag-pipeline.ts
import { pathToFileURL } from 'node:url';
import { BaseService, LocalEnvironment, MapFunction, type JobStatus, type ServiceStats } from 'sage-kernel';

export interface Doc {
  readonly id: string;
  readonly text: string;
}

export interface Hit {
  readonly id: string;
  readonly text: string;
  readonly score: number;
}

export interface Retrieved {
  readonly question: string;
  readonly hits: readonly Hit[];
}

export interface Prompt {
  readonly question: string;
  readonly prompt: string;
  readonly sources: readonly string[];
}

export const DOCUMENTS: readonly Doc[] = [
  { id: 'streams', text: 'A DataStream describes records flowing through map, filter and sink operators.' },
  {
    id: 'services',
    text: 'A service is registered with registerService and called from any function with callService.',
  },
  {
    id: 'timeouts',
    text: 'Every service call has a timeout; a late reply is dropped and never reaches another caller.',
  },
  { id: 'keyby', text: 'keyBy routes records with the same key to the same parallel instance.' },
  {
    id: 'jobs',
    text: 'The JobManager compiles the pipeline into an execution graph and runs it with a dispatcher.',
  },
  {
    id: 'pause',
    text: 'A paused job keeps its records and state; continue resumes it with the same functions.',
  },
];

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'and',
  'with',
  'to',
  'of',
  'it',
  'its',
  'how',
  'what',
  'does',
  'do',
  'i',
  'from',
  'any',
  'same',
  'into',
]);

function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => !STOP_WORDS.has(w));
}

/** A TF-IDF index over in-memory documents, built in `setup()`; `process(question)` returns the best hits. */
export class Retriever extends BaseService {
  private readonly vectors = new Map<string, Map<string, number>>();
  private readonly idf = new Map<string, number>();

  constructor(
    private readonly docs: readonly Doc[],
    private readonly k: number,
  ) {
    super();
  }

  setup(): void {
    const df = new Map<string, number>();
    for (const doc of this.docs)
      for (const term of new Set(tokenize(doc.text))) df.set(term, (df.get(term) ?? 0) + 1);
    for (const [term, n] of df) this.idf.set(term, Math.log((1 + this.docs.length) / (1 + n)) + 1);
    for (const doc of this.docs) this.vectors.set(doc.id, this.vector(tokenize(doc.text)));
    this.logger.info(`indexed ${this.docs.length} documents, ${this.idf.size} terms`);
  }

  process(question: string): Hit[] {
    const query = this.vector(tokenize(question));
    const hits: Hit[] = [];
    for (const doc of this.docs) {
      const v = this.vectors.get(doc.id) ?? new Map<string, number>();
      let score = 0;
      for (const [term, w] of query) score += w * (v.get(term) ?? 0);
      if (score > 0) hits.push({ id: doc.id, text: doc.text, score: Math.round(score * 1000) / 1000 });
    }
    return hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, this.k);
  }

  private vector(terms: readonly string[]): Map<string, number> {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    let norm = 0;
    for (const [t, n] of tf) {
      const w = n * (this.idf.get(t) ?? 0);
      tf.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of tf) tf.set(t, w / norm);
    return tf;
  }
}

/** A stand-in for a language model: answers from the first context line of the prompt, deterministically. */
export class Generator {
  process(prompt: Prompt): string {
    const context = prompt.prompt.split('\n').find((line) => line.startsWith('- '));
    if (context === undefined) return `I don't know how to answer "${prompt.question}".`;
    return `${context.slice(2)} [${prompt.sources.join(', ')}]`;
  }
}

/** Calls the retriever for each question. */
export class Retrieve extends MapFunction<string, Retrieved> {
  async execute(question: string): Promise<Retrieved> {
    return { question, hits: await this.callService<Hit[]>('retriever', question) };
  }
}

/** Builds the prompt from the question and the retrieved documents. */
export function buildPrompt(r: Retrieved): Prompt {
  const context = r.hits.map((h) => `- ${h.text}`).join('\n');
  return {
    question: r.question,
    prompt: `Answer the question from the context.\nContext:\n${context}\nQuestion: ${r.question}`,
    sources: r.hits.map((h) => h.id),
  };
}

/** Calls the generator with the prompt. */
export class Generate extends MapFunction<Prompt, { question: string; answer: string }> {
  async execute(prompt: Prompt): Promise<{ question: string; answer: string }> {
    return { question: prompt.question, answer: await this.callService<string>('generator', prompt) };
  }
}

export interface RagResult {
  /** Answers of the question pipeline, in question order. */
  readonly answers: readonly { question: string; answer: string }[];
  /** Answers obtained by another pipeline through the `ask` pipeline service. */
  readonly asked: readonly string[];
  /** Per-service metrics of the job. */
  readonly services: readonly ServiceStats[];
}

/** Runs the RAG pipeline over `questions`, and asks `followUps` through the pipeline service. */
export async function main(
  questions: readonly string[] = [
    'How is a service registered?',
    'What happens to a late reply after a timeout?',
  ],
  followUps: readonly string[] = ['How does keyBy route records?'],
): Promise<RagResult> {
  const env = new LocalEnvironment('rag', { logLevel: 'warn' });
  env.registerService('retriever', Retriever, DOCUMENTS, 2);
  env.registerService('generator', Generator);

  // The whole chain as a service: a request enters at the source, the reply leaves at the sink.
  env.registerPipelineService<string, string>('ask', (requests) =>
    requests.map(async function (
      this: MapFunction<unknown, unknown>,
      { id, payload }: { id: number; payload: string },
    ) {
      const hits = await this.callService<Hit[]>('retriever', payload);
      return {
        id,
        payload: await this.callService<string>('generator', buildPrompt({ question: payload, hits })),
      };
    }),
  );

  const answers: { question: string; answer: string }[] = [];
  env
    .fromBatch(questions)
    .map(Retrieve)
    .map(buildPrompt)
    .map(Generate)
    .sink((a) => {
      answers.push(a);
    });

  const asked: string[] = [];
  env
    .fromBatch(followUps)
    .map(async function (this: MapFunction<string, string>, q: string) {
      return this.callService<string>('ask', q);
    })
    .sink((a) => {
      asked.push(a);
    });

  const uuid = await env.submit({ autostop: true });
  const status = env.jobManager.getJobStatus(uuid) as JobStatus;
  return { answers, asked, services: status.services };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await main();
  for (const a of result.answers) console.log(`Q: ${a.question}\nA: ${a.answer}\n`);
  for (const a of result.asked) console.log(`(via the ask pipeline service) ${a}`);
  for (const s of result.services) console.log(`${s.service}: ${s.calls} calls, p50 ${s.latencyMs.p50} ms`);
}
