#!/usr/bin/env node
import { runCli } from './run-cli.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onStopSignal(handler) {
    const listener = (signal: NodeJS.Signals): void => {
      handler(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, listener);
    return () => {
      for (const s of STOP_SIGNALS) process.off(s, listener);
    };
  },
});
