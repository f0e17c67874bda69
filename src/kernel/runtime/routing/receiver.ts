/** The input side of an operator instance, as routers see it. */
export interface Receiver {
  /** Takes one record with its key, arriving on input `input`. */
  receive(value: unknown, key: unknown, input: number): void;
  /** One upstream instance on one input has completed. */
  upstreamEnded(): void;
}
