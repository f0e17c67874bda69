import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const INDEX = new URL('../../src/redis/index.ts', import.meta.url).href;

/** A resolve hook that makes the `redis` package (and its `@redis/*` parts) impossible to find. */
const NO_REDIS_HOOK = `export async function resolve(specifier, context, next) {
  if (specifier === 'redis' || specifier.startsWith('@redis/')) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

/** Runs `body` (an ES module) in a child Node.js process where `redis` is not installed; returns its output. */
function withoutRedis(body: string): { status: number | null; out: string } {
  const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(NO_REDIS_HOOK)}));
${body}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 20000,
  });
  return { status: child.status, out: `${child.stdout}${child.stderr}` };
}

describe('sage-kernel/redis without the optional redis package', function () {
  this.timeout(30000);

  it('loads and runs MemoryLog and LogWorker; RedisLog.connect says what to install', () => {
    const { status, out } = withoutRedis(`
const m = await import(${JSON.stringify(INDEX)});
const log = new m.MemoryLog();
await log.append('s', ['a']);
const worker = new m.LogWorker(log, { jobRoot: '.', id: 'w' });
await worker.tick();
await worker.stop();
console.log('entries', (await log.read('s', '0', 10)).length);
try {
  await m.RedisLog.connect('redis://127.0.0.1:1');
} catch (e) {
  console.log(e.name + ': ' + e.message);
}
`);
    expect(out).to.include('entries 1');
    expect(out).to.include(
      "MissingDependencyError: RedisLog.connect needs the optional package 'redis', which is not installed here: run npm install redis",
    );
    expect(status).to.equal(0);
  });
});
