/**
 * A request as it enters the pipeline behind a pipeline service: the caller's arguments (`payload`) with the
 * correlation `id` that the reply must carry back.
 *
 * @example
 * ```ts
 * requests.map(({ id, payload }: PipelineRequest<string>) => ({ id, payload: payload.toUpperCase() }));
 * ```
 */
export interface PipelineRequest<T> {
  readonly id: number;
  readonly payload: T;
}

/**
 * A reply as it leaves the pipeline behind a pipeline service: the `id` of the request it answers and the
 * value returned to the caller (`payload`).
 *
 * @example
 * ```ts
 * const reply: PipelineReply<number> = { id: request.id, payload: 42 };
 * ```
 */
export interface PipelineReply<R> {
  readonly id: number;
  readonly payload: R;
}
