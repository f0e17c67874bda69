import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals of one command. */
export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into `UsageError`s that name the command and
 * point to its `--help`.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandLine('sage job status', argv, { json: { type: 'boolean' } });
 * ```
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: Options,
): ParsedCommandLine {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new UsageError(`${command}: ${reason}. See \`${command} --help\``);
  }
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
