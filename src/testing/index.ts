// sage-kernel/testing: helpers for testing pipelines in RxJS virtual time (marble tests) and in real time.
// This file only re-exports.
export { createTestScheduler, type FrameAssertion } from './create-test-scheduler.js';
export { TestEnvironment } from './test-environment.js';
export {
  DEFAULT_MARBLE_HORIZON,
  runMarbles,
  type MarbleHelpers,
  type RunMarblesOptions,
} from './run-marbles.js';
export { Collector, type CollectedEvent } from './collector.js';
export {
  FunctionHarness,
  type FlatMapOutputOf,
  type HarnessOptions,
  type InputOf,
  type KeyByHarnessOptions,
  type KeyedRecord,
  type KeyOf,
  type MapOutputOf,
} from './function-harness.js';
export {
  waitForStatus,
  type AwaitedStatus,
  type JobStatusSource,
  type WaitForStatusOptions,
} from './wait-for-status.js';
export { collectJobOutput, type CollectJobOutputOptions } from './collect-job-output.js';
export { TestTimeoutError } from './test-timeout-error.js';
export { SequenceSource, type SequenceRecord } from './sequence-source.js';
export { ExactlyOnceChecker } from './exactly-once-checker.js';
export { ExactlyOnceViolationError } from './exactly-once-violation-error.js';
