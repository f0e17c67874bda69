/**
 * One request on a service channel: the correlation `id` (unique per channel) that its reply carries back,
 * the method to call and its arguments.
 *
 * @example
 * ```ts
 * channel.requests.subscribe((r: ServiceRequest) => console.log(r.id, r.method, r.args));
 * ```
 */
export interface ServiceRequest {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}
