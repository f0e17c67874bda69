import { importRedis } from './import-redis.js';
import { ConnectionError } from '../errors/connection-error.js';
import { toError } from '../errors/to-error.js';

/** A connection to one Redis server or to a Redis Cluster, as the Redis backend uses it. */
export interface RedisConnection {
  /** True when connected to a Redis Cluster (commands are routed by the slot of their first key). */
  readonly cluster: boolean;
  /**
   * Sends one command; `key` is its first key (the one that routes it on a cluster). `options.timeout: 0`
   * skips the client's per-command time-out timer (for the hot path; heartbeats and renewals keep it).
   */
  send(key: string | undefined, args: readonly string[], options?: CommandOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** Options of one command sent through a {@link RedisConnection}. */
export interface CommandOptions {
  /** The client's command time-out in ms for this command (0: none). */
  readonly timeout?: number;
}

/** How to reach Redis: a URL, or the seed nodes of a cluster. */
export interface RedisTarget {
  /**
   * `redis://host:port` (one server), `redis+cluster://host1:port1,host2:port2` (a Redis Cluster, from any of
   * its nodes; `rediss+cluster://` with TLS; `user:password@` before the first node applies to every node), or
   * a list of `redis://` URLs of cluster nodes.
   */
  readonly url: string | readonly string[];
  /** Treat a plain `redis://` URL as a node of a Redis Cluster. */
  readonly cluster?: boolean;
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)/;

/**
 * The seed nodes and credentials of a cluster target, or undefined when the target is one server.
 *
 * @example
 * ```ts
 * clusterNodes({ url: 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001' });
 * // { nodes: ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001'] }
 * ```
 */
export function clusterNodes(
  target: RedisTarget,
): { readonly nodes: string[]; readonly username?: string; readonly password?: string } | undefined {
  if (typeof target.url !== 'string') return { nodes: [...target.url] };
  const match = CLUSTER_SCHEME.exec(target.url);
  if (match === null) return target.cluster === true ? { nodes: [target.url] } : undefined;
  const [, scheme, userinfo, hosts] = match as unknown as [string, string, string | undefined, string];
  const nodes = hosts.split(',').map((h) => `${scheme}://${h.trim()}`);
  if (userinfo === undefined) return { nodes };
  const colon = userinfo.indexOf(':');
  const username = colon < 0 ? '' : decodeURIComponent(userinfo.slice(0, colon));
  const password = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(colon + 1));
  return { nodes, ...(username !== '' ? { username } : {}), password };
}

const reconnectStrategy = (retries: number): number => Math.min(50 * (retries + 1), 500);

/** Attempts of a first connection before it fails (about 3 s of retries): a server that is not there. */
const FIRST_CONNECT_RETRIES = 10;

/**
 * The reconnect strategy of one client: retry forever once it has been connected (a restarting server comes
 * back), but fail a first connection that never succeeds instead of waiting for ever.
 */
function firstConnectStrategy(
  url: string,
  connected: () => boolean,
): (retries: number, cause: Error) => number | Error {
  return (retries, cause) =>
    connected() || retries < FIRST_CONNECT_RETRIES
      ? reconnectStrategy(retries)
      : new ConnectionError(
          `Cannot connect to Redis at ${url}: ${cause.message}; is the server running and the URL right?`,
          url,
          { cause },
        );
}

/**
 * Connects to one Redis server or to a Redis Cluster (see `RedisTarget`) with the official `redis` client,
 * which reconnects by itself after a lost connection and, on a cluster, follows slot moves. The optional
 * `redis` package is imported here, on the first connection (MissingDependencyError names `feature` when it is
 * absent).
 *
 * @example
 * ```ts
 * const redis = await connectRedis({ url: 'redis+cluster://127.0.0.1:7000' });
 * await redis.send('{job:1:0}:pos', ['HGETALL', '{job:1:0}:pos']);
 * ```
 */
export async function connectRedis(
  target: RedisTarget,
  feature = 'a Redis connection',
): Promise<RedisConnection> {
  const { createClient, createCluster } = await importRedis(feature);
  const seeds = clusterNodes(target);
  if (seeds === undefined) {
    const url = target.url as string;
    let connected = false;
    const client = createClient({
      url,
      socket: { reconnectStrategy: firstConnectStrategy(url, () => connected) },
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      // The client wraps the strategy's error in a ReconnectStrategyError (`originalError`).
      const error = (e as { originalError?: unknown } | undefined)?.originalError ?? e;
      throw error instanceof ConnectionError
        ? error
        : new ConnectionError(`Cannot connect to Redis at ${url}: ${toError(e).message}`, url, { cause: e });
    }
    connected = true;
    return {
      cluster: false,
      send: (_key, args, options) => client.sendCommand([...args], options),
      close: async () => {
        await client.close();
      },
    };
  }
  const cluster = createCluster({
    rootNodes: seeds.nodes.map((url) => ({ url })),
    defaults: {
      socket: { reconnectStrategy },
      ...(seeds.username !== undefined ? { username: seeds.username } : {}),
      ...(seeds.password !== undefined ? { password: seeds.password } : {}),
    },
  });
  cluster.on('error', () => undefined);
  try {
    await cluster.connect();
  } catch (e) {
    const address = seeds.nodes.join(',');
    throw new ConnectionError(
      `Cannot connect to the Redis Cluster at ${address}: ${toError(e).message}; is the cluster running and ` +
        'are the seed nodes right?',
      address,
      { cause: e },
    );
  }
  return {
    cluster: true,
    send: (key, args, options) => cluster.sendCommand(key, false, [...args], options),
    close: async () => {
      await cluster.close();
    },
  };
}
