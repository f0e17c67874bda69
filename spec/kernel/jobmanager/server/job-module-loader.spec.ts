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
