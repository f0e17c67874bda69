#!/usr/bin/env bash
# Checks the package as a user gets it: packs it (`npm pack` runs `prepare`, which builds dist/), installs the
# tarball in a fresh consumer project outside the repository, and there runs
#   1. an ES module app          (import ... from 'sage-kernel')
#   2. a CommonJS app            (require('sage-kernel'), Node >= 20.19 loads the ES build)
#   3. a mocha spec              (sage-kernel/testing, marble test in virtual time)
#   4. tsc --noEmit, strict NodeNext, over an .mts and a .cts file
#   5. the `sage` command        (sage --version, and sage job init with the new job root's test)
#   6. a .ts job module on a server without tsx: refused with a message saying how to fix it
# Needs the npm registry (or a warm npm cache) for the consumer's own tools: typescript, mocha, @types/*.
# Usage: bash scripts/check-package.sh     (npm run check-package)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

# Versions of the consumer's tools: the ones this repository pins.
pinned() { node -p "require('$repo/package.json').devDependencies['$1']"; }

step 'npm pack'
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/sage-kernel-*.tgz)"
tar tzf "$tarball" >"$work/files.txt"
for file in dist/index.js dist/testing/index.js dist/redis/index.js dist/cli/main.js; do
  grep -qx "package/$file" "$work/files.txt" || { echo "the tarball has no $file"; exit 1; }
done

app="$work/consumer"
mkdir -p "$app"
cd "$app"
cat >package.json <<'EOF'
{ "name": "consumer", "version": "1.0.0", "private": true }
EOF

step 'npm install <tarball>'
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$tarball" \
  "typescript@$(pinned typescript)" "mocha@$(pinned mocha)" \
  "@types/node@$(pinned @types/node)" "@types/mocha@$(pinned @types/mocha)" >/dev/null

cat >esm-app.mjs <<'EOF'
import { LocalEnvironment } from 'sage-kernel';
import { runMarbles } from 'sage-kernel/testing';
if (typeof runMarbles !== 'function') throw new Error('sage-kernel/testing has no runMarbles');
const env = new LocalEnvironment('esm');
const out = [];
env.fromBatch([1, 2, 3, 4, 5]).map((x) => x * 2).filter((x) => x !== 4).sink((x) => { out.push(x); });
await env.submit({ autostop: true });
if (out.join() !== '2,6,8,10') throw new Error(`esm app: got ${out.join()}`);
console.log('esm app:', out.join());
EOF

cat >cjs-app.cjs <<'EOF'
const { LocalEnvironment, SageError } = require('sage-kernel');
const { runMarbles } = require('sage-kernel/testing');
if (typeof runMarbles !== 'function' || typeof SageError !== 'function') throw new Error('missing exports');
const env = new LocalEnvironment('cjs');
const out = [];
env.fromBatch([1, 2, 3]).map((x) => x + 1).sink((x) => { out.push(x); });
env.submit({ autostop: true }).then(() => {
  if (out.join() !== '2,3,4') throw new Error(`cjs app: got ${out.join()}`);
  console.log('cjs app:', out.join());
});
EOF

cat >marble.spec.mjs <<'EOF'
import { deepStrictEqual } from 'node:assert/strict';
import { runMarbles, FunctionHarness } from 'sage-kernel/testing';
import { MapFunction } from 'sage-kernel';

class Double extends MapFunction {
  execute(x) { return x * 2; }
}

describe('sage-kernel/testing from the installed package', () => {
  it('runs a job in virtual time', () => {
    runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable(cold('-a-b|', { a: 1, b: 2 })).map((x) => x + 1).toObservable();
      expectObservable(out).toBe('-a-b|', { a: 2, b: 3 });
    });
  });
  it('tests one function class with a harness', () => {
    const harness = FunctionHarness.map(Double);
    runMarbles(({ cold, expectObservable }) => {
      expectObservable(harness.run(cold('a-b|', { a: 1, b: 5 }))).toBe('a-b|', { a: 2, b: 10 });
    });
  });
  it('sees the same classes through import and require', async () => {
    const { createRequire } = await import('node:module');
    const required = createRequire(import.meta.url)('sage-kernel');
    deepStrictEqual(required.MapFunction, MapFunction);
  });
});
EOF

cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "types": ["node"],
    "noEmit": true
  },
  "include": ["*.mts", "*.cts"]
}
EOF

cat >typed-app.mts <<'EOF'
import { LocalEnvironment, MapFunction, type DataStream } from 'sage-kernel';
import { runMarbles, type MarbleHelpers } from 'sage-kernel/testing';

class Length extends MapFunction<string, number> {
  execute(word: string): number {
    return word.length;
  }
}
const env = new LocalEnvironment('typed');
const lengths: DataStream<number> = env.fromBatch(['a', 'bb']).map(Length);
const total: number[] = [];
lengths.sink((n) => {
  total.push(n);
});
const uuid: string = await env.submit({ autostop: true });
runMarbles((helpers: MarbleHelpers) => {
  helpers.expectObservable(helpers.cold('a|', { a: 1 })).toBe('a|', { a: 1 });
});
console.log(uuid, total);
EOF

cat >typed-app.cts <<'EOF'
import sage = require('sage-kernel');
import testing = require('sage-kernel/testing');

const env = new sage.LocalEnvironment('typed-cjs');
const doubled: sage.DataStream<number> = env.fromBatch([1, 2]).map((x) => x * 2);
doubled.sink((x: number) => {
  console.log(x);
});
void env.submit({ autostop: true }).then((uuid: string) => console.log(uuid, typeof testing.runMarbles));
EOF

step 'ESM app'
node esm-app.mjs
step 'CommonJS app'
node --no-warnings=ExperimentalWarning cjs-app.cjs
step 'mocha spec on sage-kernel/testing'
node_modules/.bin/mocha --reporter dot marble.spec.mjs
step 'tsc --noEmit (strict, NodeNext, .mts and .cts)'
node_modules/.bin/tsc -p tsconfig.json
step 'sage --version'
version="$(node_modules/.bin/sage --version)"
expected="$(node -p "require('$repo/package.json').version")"
[[ "$version" == *"$expected"* ]] || { echo "sage --version printed '$version', expected $expected"; exit 1; }
echo "sage --version: $version"

step 'sage job init, then the job root'"'"'s own test'
node_modules/.bin/sage job init jobs >/dev/null
(cd jobs && node --test 2>&1 | grep -E '^# (pass|fail)')
(cd jobs && node --test >/dev/null 2>&1) || { echo 'the test of the scaffolded job root failed'; exit 1; }

step 'a .ts job module without tsx installed: a clear error'
cat >jobs/typed.ts <<'EOT'
export default (env: unknown): unknown => env;
EOT
cat >ts-without-tsx.mjs <<'EOT'
import { JobManagerServer, RemoteEnvironment } from 'sage-kernel';
const server = new JobManagerServer({ port: 0, jobRoots: ['jobs'] });
const { port } = await server.start();
const env = new RemoteEnvironment('ts', { port });
try {
  await env.submit({ module: 'typed.ts' });
  throw new Error('a .ts module loaded without tsx');
} catch (e) {
  if (!/is TypeScript, and tsx is not installed/.test(e.message)) throw e;
  console.log('refused:', e.message);
} finally {
  env.disconnect();
  await server.stop();
}
EOT
node ts-without-tsx.mjs

step "package check passed"
