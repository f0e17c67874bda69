import { expect } from 'chai';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { JobModuleError } from '../../../../src/errors/job-module-error.js';
import { ModuleNotAllowedError } from '../../../../src/errors/module-not-allowed-error.js';
import { UsageError } from '../../../../src/errors/usage-error.js';
import { JobModuleLoader } from '../../../../src/kernel/jobmanager/server/job-module-loader.js';

describe('JobModuleLoader', () => {
  let root: string;
  let second: string;
  let outside: string;
  let loader: JobModuleLoader;

  before(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'sage-root-')));
    second = await realpath(await mkdtemp(join(tmpdir(), 'sage-root2-')));
    outside = await realpath(await mkdtemp(join(tmpdir(), 'sage-out-')));
    await mkdir(join(root, 'etl'));
    await writeFile(join(root, 'etl', 'daily.mjs'), 'export default (env) => env; export const other = 1;\n');
    await writeFile(join(root, 'data.json'), '{}');
    await writeFile(join(second, 'only-here.mjs'), 'export const build = () => undefined;\n');
    await writeFile(join(root, 'syntax-error.mjs'), 'export default (;\n');
    await writeFile(
      join(root, 'bad-name.mjs'),
      "import { nope } from 'node:fs';\nexport default () => nope;\n",
    );
    await writeFile(
      join(root, 'no-package.mjs'),
      "// a job\n  import { MapFunction } from 'no-such-package/sub';\nexport default () => MapFunction;\n",
    );
    await writeFile(
      join(root, 'imports-missing.mjs'),
      "import './etl/missing-dep.mjs';\nexport default () => 1;\n",
    );
    await writeFile(
      join(root, 'etl', 'missing-dep.mjs'),
      "export const a = 1;\n\nimport b from './gone.mjs';\n",
    );
    await writeFile(
      join(root, 'throws-at-load.mjs'),
      'const a = 1;\nif (a) throw new Error("boom");\nexport default () => a;\n',
    );
    await writeFile(
      join(root, 'typed.ts'),
      'interface Args { n: number }\nexport default (_env: unknown, args: Args): number => args.n * 2;\n',
    );
    await writeFile(
      join(root, 'typed-broken.ts'),
      'export default (env: unknown) => {\n  const x: number = ;\n};\n',
    );
    await writeFile(join(outside, 'evil.mjs'), 'export default () => undefined;\n');
    await symlink(join(root, 'etl', 'daily.mjs'), join(root, 'alias.mjs'));
    await symlink(join(outside, 'evil.mjs'), join(root, 'escape.mjs'));
    loader = await JobModuleLoader.create([root, second]);
  });

  after(async () => {
    for (const dir of [root, second, outside]) await rm(dir, { recursive: true, force: true });
  });

  it('resolves relative paths against each root in order, and absolute paths inside a root', async () => {
    expect(await loader.resolve('etl/daily.mjs')).to.equal(join(root, 'etl', 'daily.mjs'));
    expect(await loader.resolve('etl/../etl/daily.mjs')).to.equal(join(root, 'etl', 'daily.mjs'));
    expect(await loader.resolve('only-here.mjs')).to.equal(join(second, 'only-here.mjs'));
    expect(await loader.resolve(join(second, 'only-here.mjs'))).to.equal(join(second, 'only-here.mjs'));
  });

  it('follows a symbolic link that stays inside the roots', async () => {
    expect(await loader.resolve('alias.mjs')).to.equal(join(root, 'etl', 'daily.mjs'));
  });

  it('refuses links and paths leading outside, directories, non-module files and missing files', async () => {
    const cases: [string, RegExp][] = [
      ['escape.mjs', /outside the job roots/],
      [join('..', basename(outside), 'evil.mjs'), /outside the job roots/],
      [join(outside, 'evil.mjs'), /outside the job roots/],
      ['etl', /not a module file/],
      ['data.json', /not a module file/],
      ['nope.mjs', /no such file/],
      ['.', /outside the job roots|not a module file/],
    ];
    for (const [path, reason] of cases) {
      const error = await loader.resolve(path).catch((e: unknown) => e);
      expect(error, path).to.be.instanceOf(ModuleNotAllowedError);
      expect((error as Error).message, path).to.match(reason);
    }
  });

  it('returns the named export when it is a function, and explains otherwise', async () => {
    expect(await loader.load('etl/daily.mjs', 'default')).to.be.a('function');
    expect(await loader.load('only-here.mjs', 'build')).to.be.a('function');
    const notFunction = await loader.load('etl/daily.mjs', 'other').catch((e: unknown) => e);
    expect(notFunction).to.be.instanceOf(JobModuleError);
    expect((notFunction as Error).message).to.contain('function exports: default');
    const broken = await loader.load('syntax-error.mjs', 'default').catch((e: unknown) => e);
    expect(broken).to.be.instanceOf(JobModuleError);
    expect((broken as Error).message).to.contain('failed to load');
  });

  it('reports a syntax error with file, line and column', async () => {
    const error = await loader.load('syntax-error.mjs', 'default').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobModuleError);
    expect((error as Error).message).to.equal(
      `Job module syntax-error.mjs failed to load: ${join(root, 'syntax-error.mjs')}:1:17: SyntaxError: Unexpected token ';'`,
    );
  });

  it('reports a failed import with the file, line and column of the import', async () => {
    const cases: [string, string, string][] = [
      ['bad-name.mjs', `${join(root, 'bad-name.mjs')}:1:10: SyntaxError: The requested module 'node:fs'`, ''],
      ['no-package.mjs', `${join(root, 'no-package.mjs')}:2:31: Cannot find package 'no-such-package'`, ''],
      ['imports-missing.mjs', `${join(root, 'etl', 'missing-dep.mjs')}:3:15: Cannot find module`, ''],
    ];
    for (const [module, where, hint] of cases) {
      const error = await loader.load(module, 'default').catch((e: unknown) => e);
      expect(error, module).to.be.instanceOf(JobModuleError);
      expect((error as Error).message, module)
        .to.contain(where)
        .and.to.contain(hint);
    }
  });

  it('reports an error thrown while the module runs with its line', async () => {
    const error = await loader.load('throws-at-load.mjs', 'default').catch((e: unknown) => e);
    expect((error as Error).message).to.equal(
      `Job module throws-at-load.mjs failed to load: ${join(root, 'throws-at-load.mjs')}:2:14: boom`,
    );
  });

  it('runs TypeScript modules through tsx, and places their syntax errors', async () => {
    const build = await loader.load('typed.ts', 'default');
    expect(build(undefined as never, { n: 21 })).to.equal(42);
    const error = await loader.load('typed-broken.ts', 'default').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobModuleError);
    expect((error as Error).message).to.equal(
      `Job module typed-broken.ts failed to load: ${join(root, 'typed-broken.ts')}:2:21: Unexpected ";"`,
    );
  });

  it('loads a module again after its file changed', async () => {
    const file = join(root, 'changing.mjs');
    await writeFile(file, 'export const v = () => 1;\n');
    const first = await loader.load('changing.mjs', 'v');
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(file, 'export const v = () => 2;\n');
    const second = await loader.load('changing.mjs', 'v');
    expect([first(undefined as never, undefined), second(undefined as never, undefined)]).to.deep.equal([
      1, 2,
    ]);
  });

  it('refuses roots that do not exist or are not directories', async () => {
    expect(await JobModuleLoader.create([join(root, 'missing')]).catch((e: unknown) => e)).to.be.instanceOf(
      UsageError,
    );
    expect(await JobModuleLoader.create([join(root, 'data.json')]).catch((e: unknown) => e)).to.be.instanceOf(
      UsageError,
    );
  });
});
