import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';
import { didYouMean } from './did-you-mean.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals of one command. */
export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into `UsageError`s that name the command and
 * point to its `--help`. An unknown option gets a "did you mean …?" hint naming the closest known one.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandLine('sage job status', argv, { json: { type: 'boolean' } });
 * parseCommandLine('sage job submit', ['--expotr', 'x'], { export: { type: 'string' } });
 * // UsageError: sage job submit: unknown option --expotr. Did you mean --export? See `sage job submit --help`
 * ```
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: Options,
): ParsedCommandLine {
  const all: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  const unknown = firstUnknownOption(args, all);
  if (unknown !== undefined) {
    const names = Object.keys(all);
    const hint = unknown.startsWith('--') ? didYouMean(unknown.slice(2), names, '--') : '';
    throw new UsageError(`${command}: unknown option ${unknown}.${hint} See \`${command} --help\``);
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: all,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (e) {
    throw new UsageError(`${command}: ${readableReason(e)}. See \`${command} --help\``);
  }
}

/** The first option in `args` that `options` does not know (`--name` or `-x`), skipping option values. */
function firstUnknownOption(args: readonly string[], options: Options): string | undefined {
  const shorts = new Set(Object.values(options).map((o) => o.short));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return undefined;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0] ?? '';
      const option = Object.hasOwn(options, name) ? options[name] : undefined;
      if (option === undefined) return `--${name}`;
      if (option.type === 'string' && !arg.includes('=')) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const letter of arg.slice(1)) if (!shorts.has(letter)) return `-${letter}`;
    }
  }
  return undefined;
}

/** parseArgs' remaining errors (a missing or unexpected value) in the CLI's words. */
function readableReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /^Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing !== null) return `${missing[2] ?? 'the option'} needs a value`;
  const noValue = /^Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (noValue !== null) return `${noValue[1] ?? 'the option'} takes no value`;
  return message.replace(/\.$/, '');
}

/**
 * The string value of a flag (undefined when absent).
 *
 * @example
 * ```ts
 * const host = stringFlag(parsed, 'host') ?? DEFAULT_HOST;
 * ```
 */
export function stringFlag(parsed: ParsedCommandLine, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * True when a boolean flag was given.
 *
 * @example
 * ```ts
 * if (booleanFlag(parsed, 'autostop')) await waitForEnd(uuid);
 * ```
 */
export function booleanFlag(parsed: ParsedCommandLine, name: string): boolean {
  return parsed.values[name] === true;
}
