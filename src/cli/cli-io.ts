/** A stream the CLI writes to: `process.stdout` or a test double. */
export interface CliOutput {
  write(text: string): unknown;
  /** True on a terminal: `watch` then redraws in place. */
  readonly isTTY?: boolean;
}

/**
 * What a command touches of its process, injected so commands run in tests without a child process.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, onStopSignal };
 * ```
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Environment variables (`SAGE_HOST`, `SAGE_PORT`, `SAGE_TOKEN`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` once on SIGINT or SIGTERM; returns a function that removes the handler. */
  onStopSignal(handler: (signal: string) => void): () => void;
}
