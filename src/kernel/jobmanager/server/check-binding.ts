import { UsageError } from '../../../errors/usage-error.js';
import { MIN_REMOTE_TOKEN_LENGTH } from '../protocol/protocol-defaults.js';
import { isLoopback } from './is-loopback.js';

/**
 * The host and token rules every JobManager server (TCP and HTTP) starts under: a token is never empty; off
 * loopback a token is required and has at least {@link MIN_REMOTE_TOKEN_LENGTH} characters. Throws UsageError
 * saying what to change.
 *
 * @example
 * ```ts
 * checkBinding('0.0.0.0', process.env.SAGE_TOKEN, 'listen'); // throws without a long enough token
 * ```
 */
export function checkBinding(host: string, token: string | undefined, verb: string): void {
  if (token?.length === 0) throw new UsageError('The token must not be empty: pass a long random string');
  if (isLoopback(host)) return;
  if (token === undefined) {
    throw new UsageError(
      `Refusing to ${verb} on ${host} without a token: anyone who can reach it could control jobs. ` +
        'Pass --token (or SAGE_TOKEN), or listen on 127.0.0.1',
    );
  }
  if (token.length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new UsageError(
      `Refusing to ${verb} on ${host} with a token of ${token.length} characters: off loopback the ` +
        `token must have at least ${MIN_REMOTE_TOKEN_LENGTH} characters (for example \`openssl rand -hex 32\`)`,
    );
  }
}
