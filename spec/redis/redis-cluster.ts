import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { exited, freePort } from './redis-server.js';

/** A 3-master Redis Cluster of one spec, on 127.0.0.1: stopped by the PIDs of its servers. */
export interface TestCluster {
  /** `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`. */
  readonly url: string;
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** Why a cluster cannot be started on this machine, or undefined when it can be tried. */
export function clusterUnavailable(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      return `${tool} is not installed (apt-get install redis-server redis-tools): the Redis Cluster spec is skipped`;
    }
  }
  return undefined;
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', (e) => {
      resolve({ code: -1, output: e.message });
    });
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}

/** Asks a node until `check` holds for its reply to `command`, or the deadline passes. */
async function untilReply(
  port: number,
  command: readonly string[],
  check: (reply: string) => boolean,
  deadline: number,
): Promise<boolean> {
  for (;;) {
    const { code, output } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...command]);
    if (code === 0 && check(output)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts 3 `redis-server --cluster-enabled yes` processes (each with its own temporary directory, cluster
 * bus on a free port) and joins them with `redis-cli --cluster create … --cluster-replicas 0`; resolves with a
 * reason instead when the machine does not allow it (ports taken, the servers refuse).
 */
export async function startCluster(): Promise<TestCluster | string> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const [port, bus] = [await freePort(), await freePort()];
      ports.push(port);
      // prettier-ignore
      const child = spawn('redis-server', [
        '--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${String(port)}.conf`,
        '--cluster-node-timeout', '2000', '--dir', dir, '--dbfilename', `dump-${String(port)}.rdb`,
        '--save', '', '--appendonly', 'no', '--daemonize', 'no',
      ], { stdio: 'ignore' });
      children.push(child);
    }
    const deadline = Date.now() + 6000;
    for (const port of ports) {
      if (!(await untilReply(port, ['PING'], (r) => r.includes('PONG'), deadline))) {
        await stop();
        return `redis-server did not start on 127.0.0.1:${String(port)}: the Redis Cluster spec is skipped`;
      }
    }
    const created = await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${String(p)}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const ok =
      created.code === 0 &&
      (
        await Promise.all(
          ports.map((p) =>
            untilReply(p, ['CLUSTER', 'INFO'], (r) => r.includes('cluster_state:ok'), deadline),
          ),
        )
      ).every(Boolean);
    if (!ok) {
      await stop();
      return `redis-cli --cluster create failed (${created.output.trim().split('\n').slice(-1).join('')}): the Redis Cluster spec is skipped`;
    }
    return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${String(p)}`).join(',')}`, ports, stop };
  } catch (e) {
    await stop();
    return `a Redis Cluster could not be started (${e instanceof Error ? e.message : String(e)}): the spec is skipped`;
  }
}

/** The number of keys each node of the cluster holds. */
export async function keysPerNode(ports: readonly number[]): Promise<number[]> {
  return Promise.all(
    ports.map(async (port) => {
      const client = createClient({ url: `redis://127.0.0.1:${String(port)}` });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return Number(await client.sendCommand(['DBSIZE']));
      } finally {
        await client.close();
      }
    }),
  );
}

/** The slot the server gives `key` (`CLUSTER KEYSLOT`). */
export async function serverSlot(port: number, key: string): Promise<number> {
  const client = createClient({ url: `redis://127.0.0.1:${String(port)}` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return Number(await client.sendCommand(['CLUSTER', 'KEYSLOT', key]));
  } finally {
    await client.close();
  }
}
