import type { CliIo, CliOutput } from '../../src/cli/cli-io.js';

/** A captured output stream. */
export class Captured implements CliOutput {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A CliIo for in-process runs: captured output, given environment, stop signals fired by `signal()`. */
export class TestIo implements CliIo {
  readonly stdout: Captured;
  readonly stderr: Captured;
  private handlers = new Set<(signal: string) => void>();

  constructor(
    readonly env: Record<string, string | undefined> = {},
    tty = false,
    stderrTty = false,
  ) {
    this.stdout = new Captured(tty);
    this.stderr = new Captured(stderrTty);
  }

  onStopSignal(handler: (signal: string) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  get listening(): boolean {
    return this.handlers.size > 0;
  }

  signal(name: string): void {
    for (const h of [...this.handlers]) h(name);
  }
}
