// Join users with their orders by user id (users ⋈ orders), at parallelism 2.
// Run: npx tsx samples/join-users-orders.ts
import { pathToFileURL } from 'node:url';
import { InnerHashJoin, LocalEnvironment } from 'sage-kernel';

export interface User {
  readonly id: number;
  readonly name: string;
}

export interface Order {
  readonly orderId: string;
  readonly userId: number;
  readonly amount: number;
}

export const users: readonly User[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Linus' },
];

export const orders: readonly Order[] = [
  { orderId: 'o-1', userId: 2, amount: 30 },
  { orderId: 'o-2', userId: 1, amount: 12 },
  { orderId: 'o-3', userId: 2, amount: 8 },
  { orderId: 'o-4', userId: 4, amount: 99 },
];

/** Runs the join and returns one line per matched (user, order) pair, sorted. */
export async function main(): Promise<string[]> {
  const env = new LocalEnvironment('users-orders', { logLevel: 'warn' });
  const lines: string[] = [];
  env
    .fromBatch(users)
    .keyBy((u) => u.id)
    .connect(env.fromBatch(orders).keyBy((o) => o.userId))
    .join(InnerHashJoin, {
      parallelism: 2,
      args: [(u: User, o: Order) => `${u.name} bought ${o.orderId} for ${String(o.amount)}`],
    })
    .sink((line) => {
      lines.push(line);
    });
  await env.submit({ autostop: true });
  return lines.sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await main()) console.log(line);
}
