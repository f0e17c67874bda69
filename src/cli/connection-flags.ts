import { UsageError } from '../errors/usage-error.js';
import type { JobManagerClientOptions } from '../kernel/jobmanager/client/job-manager-client.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../kernel/jobmanager/protocol/protocol-defaults.js';
import type { ParsedCommandLine } from './parse-command-line.js';
import { stringFlag } from './parse-command-line.js';

/** The flags every command that talks to a server takes, for parseArgs. */
export const CONNECTION_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
} as const;

/** Help text lines of the connection flags. */
export const CONNECTION_HELP = `  --host HOST     server address (default ${DEFAULT_HOST}, or SAGE_HOST)
  --port PORT     server port (default ${DEFAULT_PORT}, or SAGE_PORT)
  --token TOKEN   token of a server started with one (or SAGE_TOKEN; the variable keeps it out of ps)`;

/**
 * Host, port and token from the flags, falling back to `SAGE_HOST`, `SAGE_PORT`, `SAGE_TOKEN` and the defaults.
 *
 * @example
 * ```ts
 * const client = new JobManagerClient(connectionFlags(parsed, io.env));
 * ```
 */
export function connectionFlags(
  parsed: ParsedCommandLine,
  env: Readonly<Record<string, string | undefined>>,
): { host: string; port: number; token?: string } & JobManagerClientOptions {
  const flag = stringFlag(parsed, 'host');
  if (flag === '')
    throw new UsageError(`--host must not be empty: give the server's address, e.g. ${DEFAULT_HOST}`);
  // An empty SAGE_HOST (a variable set to "") means "not set", as for SAGE_TOKEN.
  const host = flag ?? (env.SAGE_HOST === '' ? undefined : env.SAGE_HOST) ?? DEFAULT_HOST;
  const port = parsePort(stringFlag(parsed, 'port') ?? env.SAGE_PORT ?? String(DEFAULT_PORT), false);
  const token = tokenFlag(parsed, env);
  return { host, port, ...(token !== undefined ? { token } : {}) };
}

/**
 * The token from `--token`, else from `SAGE_TOKEN`; an empty one (a variable set to `""`) means "no token". The
 * server command and the client commands read it the same way.
 *
 * @example
 * ```ts
 * const token = tokenFlag(parsed, io.env); // undefined for SAGE_TOKEN=""
 * ```
 */
export function tokenFlag(
  parsed: ParsedCommandLine,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const token = stringFlag(parsed, 'token') ?? env.SAGE_TOKEN;
  return token === undefined || token === '' ? undefined : token;
}

/**
 * A TCP port from text: an integer from 1 (0 when `allowZero`, meaning "any free port") to 65535.
 *
 * @example
 * ```ts
 * parsePort('19001', false); // 19001
 * ```
 */
export function parsePort(text: string, allowZero: boolean): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535 || port < (allowZero ? 0 : 1)) {
    throw new UsageError(
      `--port must be an integer from ${allowZero ? 0 : 1} to 65535, got ${JSON.stringify(text)}`,
    );
  }
  return port;
}
