import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where in a source file an error points (line and column count from 1). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where the error of a failed `import()` of `moduleFile` points: the file, line and column of a syntax error
 * (from the error itself, from tsx's transform message, or else from `node --check`), of an `import` whose
 * module or export cannot be found, or of the module's own line that threw while it was evaluated.
 * `undefined` when nothing in the error leads to a line.
 *
 * @example
 * ```ts
 * try { await import(url); }
 * catch (e) { const at = await locateModuleError(e, file); } // { file: '/srv/jobs/a.mjs', line: 2, column: 13 }
 * ```
 */
export async function locateModuleError(
  error: unknown,
  moduleFile: string,
): Promise<SourceLocation | undefined> {
  if (!(error instanceof Error)) return undefined;
  const stack = error.stack ?? '';
  // tsx (esbuild): "Transform failed with 1 error:\n/path/file.ts:2:20: ERROR: Unexpected ";""
  const transform = /^(.+?):(\d+):(\d+): ERROR: /m.exec(error.message);
  if (transform !== null) return location(transform[1], transform[2], Number(transform[3]) + 1);
  // Node prints the offending line and a caret above a SyntaxError it could place:
  // "file:///path/a.mjs:1\nimport { nope } from 'node:fs';\n         ^^^^\nSyntaxError: …"
  const arrow = caretLocation(stack);
  if (arrow !== undefined) return arrow;
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_MODULE_NOT_FOUND') return await missingImportLocation(error.message);
  if (error.name === 'SyntaxError') return await checkSyntax(moduleFile);
  // An error thrown while the module ran: its first stack frame in the module's file.
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?\/[^\s():]+)(?:\?[^\s():]*)?:(\d+):(\d+)\)?$/gm)) {
    const file = toPath(match[1] ?? '');
    if (file === moduleFile) return location(file, match[2], Number(match[3]));
  }
  return undefined;
}

/**
 * `file:line:column` of a location, as editors and terminals link it.
 *
 * @example
 * ```ts
 * formatLocation({ file: '/srv/jobs/a.mjs', line: 2, column: 13 }); // '/srv/jobs/a.mjs:2:13'
 * ```
 */
export function formatLocation(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

function location(file: string | undefined, line: string | undefined, column: number): SourceLocation {
  return { file: toPath(file ?? ''), line: Number(line), column };
}

function toPath(fileOrUrl: string): string {
  const withoutQuery = fileOrUrl.replace(/\?.*$/, '');
  return withoutQuery.startsWith('file://') ? fileURLToPath(withoutQuery) : withoutQuery;
}

/** "<file>:<line>\n<source line>\n<spaces>^…" at the top of a stack or of `node --check` output. */
function caretLocation(text: string): SourceLocation | undefined {
  const match = /^((?:file:\/\/)?\/[^\n]*?):(\d+)\n[^\n]*\n( *)\^/m.exec(text);
  if (match === null) return undefined;
  return location(match[1], match[2], (match[3] ?? '').length + 1);
}

/**
 * "Cannot find package 'x' imported from /path/a.mjs" or "Cannot find module '/path/b.mjs' imported from
 * /path/a.mjs": the line of the import in the importing file.
 */
async function missingImportLocation(message: string): Promise<SourceLocation | undefined> {
  const match = /Cannot find (package|module) '([^']+)' imported from (.+)$/m.exec(message);
  if (match === null) return undefined;
  const [, kind, missing = '', importer = ''] = match;
  const file = toPath(importer.trim());
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const escaped = (kind === 'module' && isAbsolute(missing) ? basename(missing) : missing).replace(
    /[.*+?^${}()|[\]\\/]/g,
    '\\$&',
  );
  const pattern =
    kind === 'package'
      ? new RegExp(`(['"])${escaped}(/[^'"]*)?\\1`)
      : new RegExp(`(['"])[^'"]*${escaped}\\1`);
  const found = pattern.exec(source);
  if (found === null) return { file, line: 1, column: 1 };
  const before = source.slice(0, found.index).split('\n');
  return { file, line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

/** Runs `node --check` on a JavaScript module to learn where its syntax error is. */
function checkSyntax(file: string): Promise<SourceLocation | undefined> {
  if (!/\.[cm]?js$/.test(file)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000 }, (_error, _stdout, stderr) => {
      resolve(caretLocation(stderr));
    });
  });
}
