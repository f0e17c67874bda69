import { ConnectionError } from '../errors/connection-error.js';
import { RequestTimeoutError } from '../errors/request-timeout-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { SavepointFileError } from '../errors/savepoint-file-error.js';
import { UsageError } from '../errors/usage-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { didYouMean } from './did-you-mean.js';
import { packageVersion } from './package-version.js';

const GROUPS = ['job', 'jobmanager', 'worker', 'help', 'version'];

const HELP = `Usage: sage <group> <command> [options]
       sage --version

  sage jobmanager start [--host H] [--port P] [--job-root DIR]... [--token T]
  sage job submit <module> [--export NAME] [--args JSON] [--autostop] [--from-savepoint FILE]
  sage job init <dir>
  sage worker --redis URL --job-root DIR [--slots N] [--lease-ms MS]
  sage job list | status <uuid> | pause <uuid> | continue <uuid> | stop <uuid> | delete <uuid> | watch <uuid>
  sage job savepoint <uuid> [--out FILE] | stop <uuid> --savepoint FILE

Every command takes --help. Commands that talk to a server take --host, --port and --token
(or SAGE_HOST, SAGE_PORT, SAGE_TOKEN).

Exit codes: 0 success, 1 request failed or job not found, 2 usage error, 3 cannot reach the server.
`;

/**
 * The `sage` command without its process: runs the command line `args` against `io` and resolves with the
 * exit code. Errors are printed to `io.stderr` and mapped to exit codes (see `ExitCode`).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, onStopSignal });
 * ```
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  const [group, ...rest] = args;
  try {
    switch (group) {
      // Each group is imported when used: `sage worker` starts without loading the server's modules.
      case 'jobmanager':
        return await (await import('./jobmanager-command.js')).jobmanagerCommand(rest, io);
      case 'job':
        return await (await import('./job-command.js')).jobCommand(rest, io);
      case 'worker':
        return await (await import('./worker-command.js')).workerCommand(rest, io);
      case undefined:
        io.stderr.write(HELP);
        return ExitCode.Usage;
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(HELP);
        return ExitCode.Ok;
      case '--version':
      case '-v':
      case '-V':
      case 'version':
        io.stdout.write(`sage-kernel ${packageVersion()}\n`);
        return ExitCode.Ok;
      default:
        throw new UsageError(
          group.startsWith('-')
            ? `Unknown option: sage ${group}.${didYouMean(group.replace(/^-+/, ''), ['help', 'version'], '--')} See \`sage --help\``
            : `Unknown command: sage ${group}.${didYouMean(group, GROUPS)} See \`sage --help\``,
        );
    }
  } catch (e) {
    const message =
      e instanceof JobNotFoundError
        ? `No job with uuid ${e.uuid}: \`sage job list\` shows the known jobs`
        : e instanceof Error
          ? e.message
          : String(e);
    io.stderr.write(`sage: ${message}\n`);
    return exitCodeOf(e);
  }
}

function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof SavepointFileError)
    return error.operation === 'read' ? ExitCode.Usage : ExitCode.RequestFailed;
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return ExitCode.Connection;
  // RequestFailedError, JobNotFoundError, AuthenticationError and anything unexpected: the request failed.
  return ExitCode.RequestFailed;
}
