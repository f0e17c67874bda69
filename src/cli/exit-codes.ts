/**
 * Exit codes of the `sage` command, stable for scripts: 0 success, 1 the request failed (error response,
 * unknown job, failed job when waiting for it), 2 usage error, 3 cannot reach the server.
 *
 * @example
 * ```ts
 * process.exitCode = ExitCode.Usage;
 * ```
 */
export const ExitCode = {
  Ok: 0,
  RequestFailed: 1,
  Usage: 2,
  Connection: 3,
} as const;

/** One of the `sage` command's exit codes. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
