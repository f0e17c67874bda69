/** `true` exactly when `A` and `B` are the same type (not merely assignable one way). */
export type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/**
 * A compile-time assertion: `sameType<A, B>(true)` fails to type-check unless `A` and `B` are the same type.
 * At run time it does nothing but return its argument.
 *
 * @example
 * ```ts
 * sameType<typeof stream, DataStream<[User, Order]>>(true);
 * ```
 */
export function sameType<A, B>(proof: Equals<A, B>): boolean {
  return proof;
}
