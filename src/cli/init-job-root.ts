import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';

const MODULE = `// A job module: its default export builds a pipeline on the environment the JobManager server hands it.
// Submit it with: npx sage job submit word-count.mjs --args '{"lines": ["to be or not to be"]}'

/**
 * Counts the words of \`lines\`: one [word, count] record per word, each time the word is seen again.
 * Exported on its own so the test can run it on a LocalEnvironment.
 *
 * @param {import('sage-kernel').BaseEnvironment} env
 * @param {readonly string[]} lines
 */
export function countWords(env, lines) {
  return env
    .fromBatch(lines, { name: 'lines' })
    .flatMap((line) => line.split(/\\s+/).filter((w) => w !== ''), { name: 'words' })
    .keyBy((word) => word)
    .map(
      function (word) {
        const count = this.ctx.state.value('count', 0);
        count.set(count.get() + 1);
        return [word, count.get()];
      },
      { name: 'count', parallelism: 2 },
    );
}

/** The builder the server calls: \`args\` is the JSON given to \`sage job submit --args\`. */
export default function build(env, args) {
  const lines = Array.isArray(args?.lines) ? args.lines : ['the quick brown fox', 'jumps over the lazy dog'];
  countWords(env, lines).print('count: ');
}
`;

const TEST = `// Runs with \`npm test\` (node --test): the job module on a LocalEnvironment in this process.
import { deepStrictEqual } from 'node:assert/strict';
import { test } from 'node:test';
import { LocalEnvironment } from 'sage-kernel';
import { countWords } from './word-count.mjs';

test('counts every word, per word', async () => {
  const env = new LocalEnvironment('word-count-test');
  const out = [];
  countWords(env, ['a b a', 'b a']).sink((record) => {
    out.push(record);
  });
  await env.submit({ autostop: true });
  const last = new Map(out);
  deepStrictEqual([...last.entries()].sort(), [
    ['a', 3],
    ['b', 2],
  ]);
});
`;

function readme(name: string): string {
  return `# ${name}: a sage-kernel job root

\`\`\`sh
npm install                                  # installs sage-kernel (and its \`sage\` command) here
npm test                                     # runs word-count.test.mjs
npx sage jobmanager start --job-root .       # serves the job modules of this directory
npx sage job submit word-count.mjs --autostop   # in another terminal
\`\`\`

Job modules import \`sage-kernel\` from this directory's \`node_modules\`: Node resolves a bare import from the
module's own folder upwards, never from the server's. Running the server from here (\`npx sage\`) makes the
server and the modules share one copy. TypeScript modules (\`.ts\`) need \`npm install --save-dev tsx\`.
`;
}

/**
 * Creates a job root in `dir` (created if missing; it must be empty): a package.json depending on sage-kernel
 * `^version`, a job module `word-count.mjs`, its test `word-count.test.mjs` (node --test) and a README.
 * Resolves with the created file names; refuses a directory that is not empty with a `UsageError`.
 *
 * @example
 * ```ts
 * await initJobRoot('jobs', '0.1.0'); // ['package.json', 'word-count.mjs', 'word-count.test.mjs', 'README.md']
 * ```
 */
export async function initJobRoot(dir: string, version: string): Promise<string[]> {
  const path = resolve(dir);
  await mkdir(path, { recursive: true });
  const existing = await readdir(path);
  if (existing.length > 0) {
    throw new UsageError(
      `sage job init: ${dir} is not empty (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}); ` +
        'give a new or empty directory',
    );
  }
  const name =
    basename(path)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[._-]+/, '') || 'sage-jobs';
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    description: 'Job modules for a sage-kernel JobManager server',
    scripts: { test: 'node --test', start: 'sage jobmanager start --job-root .' },
    dependencies: { 'sage-kernel': version === 'unknown' ? '*' : `^${version}` },
  };
  const files: [string, string][] = [
    ['package.json', `${JSON.stringify(pkg, null, 2)}\n`],
    ['word-count.mjs', MODULE],
    ['word-count.test.mjs', TEST],
    ['README.md', readme(name)],
  ];
  for (const [file, text] of files) await writeFile(join(path, file), text, { flag: 'wx' });
  return files.map(([file]) => file);
}
