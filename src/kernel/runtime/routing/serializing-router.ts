import type { OperatorRuntime } from '../operator-runtime.js';
import type { Router } from './router.js';
import { roundTrip } from './record-codec.js';

/**
 * Wraps the router of a non-fused edge so that every record and key it sends is round-tripped through the
 * codec of the threads backend first (`config.checkSerializable: true`). A record that would not survive a
 * thread boundary is reported to `producer` (the last operator of the sending chain) as a
 * `RecordNotSerializableError`, under its error policy; it is not sent.
 *
 * @example
 * ```ts
 * const checked = serializingRouter(router, task.slots[task.slots.length - 1]);
 * ```
 */
export function serializingRouter(router: Router, producer: Pick<OperatorRuntime, 'error'>): Router {
  return {
    route: (value, key, timestamp) => {
      let copy: [unknown, unknown];
      try {
        copy = roundTrip(value, key);
      } catch (e) {
        producer.error(e);
        return;
      }
      router.route(copy[0], copy[1], timestamp);
    },
    barrier: (id) => {
      router.barrier(id);
    },
    marker: (emittedAt) => {
      router.marker(emittedAt);
    },
    watermark: (watermark) => {
      router.watermark(watermark);
    },
    idleness: (idle) => {
      router.idleness(idle);
    },
    end: () => {
      router.end();
    },
  };
}
