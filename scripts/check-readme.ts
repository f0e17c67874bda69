// Checks that every ```ts block of README.md is a complete program: type-checks each one with the project's
// tsconfig (strict; `sage-kernel` maps to src/ through `paths`), then runs it with tsx (a block that calls
// `it(...)` runs under mocha). A block whose first line is `// fragment` is skipped.
// Run: npm run check-readme   (part of npm test)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One fenced ```ts block of a Markdown file. */
export interface CodeBlock {
  /** Line of the block's first code line in the Markdown file (from 1). */
  readonly line: number;
  readonly code: string;
  /** True when the first line is `// fragment`: shown for reading only, not checked. */
  readonly fragment: boolean;
}

/**
 * Every fenced block tagged `ts` or `typescript` in `markdown`, with the line its code starts on.
 *
 * @example
 * ```ts
 * extractTsBlocks('text\n```ts\nconst a = 1;\n```\n'); // [{ line: 3, code: 'const a = 1;\n', fragment: false }]
 * ```
 */
export function extractTsBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const start = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(text);
      if (start !== null) open = { fence: start[2] ?? '```', line: index + 2, body: [] };
      return;
    }
    if (text.trim() === open.fence) {
      const code = open.body.length > 0 ? `${open.body.join('\n')}\n` : '';
      blocks.push({ line: open.line, code, fragment: /^\s*\/\/\s*fragment\b/.test(open.body[0] ?? '') });
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  return blocks;
}

/** A type error of a block, in README coordinates. */
interface BlockDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** Type-checks the block files together with the project's tsconfig; returns the errors per file. */
function typeCheck(root: string, files: readonly string[]): Map<string, BlockDiagnostic[]> | string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) return ['cannot read tsconfig.json'];
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const byFile = new Map<string, BlockDiagnostic[]>(files.map((f) => [f, []]));
  const elsewhere: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) {
      elsewhere.push(`error TS${d.code}: ${text}`);
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const list = byFile.get(d.file.fileName);
    if (list === undefined) {
      elsewhere.push(`${relative(root, d.file.fileName)}:${line + 1}:${character + 1}: TS${d.code}: ${text}`);
    } else {
      list.push({ line, column: character + 1, text: `TS${d.code}: ${text}` });
    }
  }
  return elsewhere.length > 0 ? elsewhere : byFile;
}

/** Runs one block file: with tsx, or with mocha when it declares specs; resolves with the exit code and output. */
function run(root: string, file: string): Promise<{ code: number; output: string }> {
  const spec = /^\s*(describe|it)\(/m.test(readFileSync(file, 'utf8'));
  const args = spec
    ? [
        join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--no-config',
        '-n',
        'import=tsx',
        '-n',
        'no-experimental-require-module',
        '--reporter',
        'dot',
        file,
      ]
    : ['--import', 'tsx', file];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * Checks every ```ts block of `readmePath`; prints one line per block and resolves with the number of
 * failed blocks.
 *
 * @example
 * ```ts
 * process.exitCode = (await checkReadme('README.md')) > 0 ? 1 : 0;
 * ```
 */
export async function checkReadme(readmePath: string): Promise<number> {
  const root = dirname(readmePath);
  const name = relative(process.cwd(), readmePath) || readmePath;
  const blocks = extractTsBlocks(readFileSync(readmePath, 'utf8'));
  const dir = join(root, 'scratch', 'readme-blocks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const checked = blocks
    .filter((b) => !b.fragment)
    .map((b) => ({ block: b, file: join(dir, `readme-line-${b.line}.ts`) }));
  for (const { block, file } of checked) writeFileSync(file, block.code);
  const skipped = blocks.length - checked.length;
  console.log(
    `${name}: ${blocks.length} ts blocks, ${checked.length} checked, ${skipped} marked // fragment`,
  );
  const types = typeCheck(
    root,
    checked.map((c) => c.file),
  );
  if (Array.isArray(types)) {
    for (const line of types) console.log(line);
    return checked.length;
  }
  let failed = 0;
  for (const { block, file } of checked) {
    const errors = types.get(file) ?? [];
    if (errors.length > 0) {
      failed++;
      console.log(`✗ ${name}:${block.line} does not type-check:`);
      for (const e of errors) console.log(`    ${name}:${block.line + e.line}:${e.column}: ${e.text}`);
      continue;
    }
    const started = Date.now();
    const { code, output } = await run(root, file);
    if (code !== 0) {
      failed++;
      console.log(`✗ ${name}:${block.line} exited with ${code}:`);
      console.log(output.replace(/^/gm, '    '));
    } else {
      console.log(`✓ ${name}:${block.line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return failed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  const failed = await checkReadme(readme);
  console.log(failed === 0 ? 'README blocks: all passed' : `README blocks: ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
