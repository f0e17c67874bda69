import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the bench's JavaScript goes: under `node_modules`, so that the compiled files find the project's
 * packages (rxjs, tinybench, …) and no linter or formatter sees them.
 */
export const BENCH_BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'sage-kernel-bench');

/** The folders compiled: the engine, the bench and the spec helpers some workloads drive the engine with (specs excepted). */
const FOLDERS = ['src', join('spec', 'bench'), join('spec', 'helpers')];

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
};

/**
 * Transpiles `src/` and `spec/bench/` to JavaScript in {@link BENCH_BUILD_DIR} (only files changed since the
 * last call), so that each benchmark child process starts in a fraction of a second on plain `node` instead
 * of seconds through a TypeScript loader, and every process runs the same code. Returns the path of the
 * compiled counterpart of a bench file.
 *
 * @example
 * ```ts
 * const child = compileBench('bench-child.ts'); // …/sage-kernel-bench/spec/bench/bench-child.js
 * ```
 */
export function compileBench(benchFile: string): string {
  for (const folder of FOLDERS) {
    for (const file of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('.d.ts')) continue;
      const source = join(ROOT, folder, file);
      const target = join(BENCH_BUILD_DIR, folder, file.replace(/\.ts$/, '.js'));
      if (isFresh(target, source)) continue;
      const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: OPTIONS,
        fileName: source,
      });
      mkdirSync(dirname(target), { recursive: true });
      writeAtomically(target, outputText);
    }
  }
  const manifest = join(BENCH_BUILD_DIR, 'package.json');
  const type = '{ "type": "module" }\n';
  if (!hasContent(manifest, type)) writeAtomically(manifest, type);
  return join(BENCH_BUILD_DIR, 'spec', 'bench', benchFile.replace(/\.ts$/, '.js'));
}

/**
 * Writes `file` through a temporary file renamed over it: a bench child process starting meanwhile (the suite
 * compiles some files while others run) reads the old file or the new one, never a half-written one.
 */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function hasContent(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}

function isFresh(target: string, source: string): boolean {
  try {
    return statSync(target).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
