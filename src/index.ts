// The public surface of sage-kernel. This file only re-exports.
export {
  BaseEnvironment,
  type ObservableSourceOptions,
  type SourceOptions,
} from './core/api/base-environment.js';
export {
  LocalEnvironment,
  type LocalEnvironmentConfig,
  type FromModuleOptions,
} from './core/api/local-environment.js';
export type { JobOrigin } from './kernel/jobmanager/job-origin.js';
export { planFingerprint } from './kernel/jobmanager/plan-fingerprint.js';
export type { BackendSpec, RedisBackendSpec, ThreadsBackendSpec } from './kernel/backend/backend-spec.js';
export type { LogTaskStatus, LogWorkerStatus } from './kernel/backend/redis/log-job-status.js';
export { DataStream, type KeyByOptions } from './core/api/data-stream.js';
export type { ChainOptions, ClassOptions, ClassOptionsArg, Constructor } from './core/api/chain-options.js';
export type { PipeOptions } from './core/api/pipe-builder.js';
export { asOperator } from './core/api/as-operator.js';
export { DetachedContext } from './core/api/detached-context.js';
export { BaseFunction } from './core/api/function/base-function.js';
export { MapFunction, type MapResult } from './core/api/function/map-function.js';
export { FilterFunction } from './core/api/function/filter-function.js';
export { FlatMapFunction, type FlatMapResult } from './core/api/function/flat-map-function.js';
export { SinkFunction } from './core/api/function/sink-function.js';
export { SourceFunction, type SourceResult } from './core/api/function/source-function.js';
export { BatchFunction } from './core/api/function/batch-function.js';
export { KeyByFunction } from './core/api/function/key-by-function.js';
export { BaseCoMapFunction } from './core/api/function/co-map-function.js';
export { BaseJoinFunction } from './core/api/function/join-function.js';
export { InnerHashJoin, type JoinCombiner } from './core/api/function/join/inner-hash-join.js';
export { WindowedJoin } from './core/api/function/join/windowed-join.js';
export type { JoinClass, PairJoinClass } from './core/api/function/join/pair-join-class.js';
export type {
  CoMapHandlersOf,
  CoMapOutput,
  HandlerOutput,
  HandlersOutput,
  InputIndex,
} from './core/api/co-map-types.js';
export { WatermarkStrategy } from './core/api/time/watermark-strategy.js';
export type { TimerService } from './core/api/time/timer-service.js';
export type { TimeDomain } from './core/api/time/time-domain.js';
export { OutputTag } from './core/api/time/output-tag.js';
export { ProcessFunction, type ProcessResult } from './core/api/function/process-function.js';
export { KeyedProcessFunction } from './core/api/function/keyed-process-function.js';
export type { ProcessContext } from './core/api/function/process-context.js';
export type { JsonValue } from './kernel/runtime/state/field-state.js';
export { ConnectedStreams, type CoMapHandlers, type KeySelectors } from './core/api/connected-streams.js';
export { KeyedState } from './kernel/runtime/state/keyed-state.js';
export { ValueState } from './kernel/runtime/state/value-state.js';
export { ListState } from './kernel/runtime/state/list-state.js';
export { MapState } from './kernel/runtime/state/map-state.js';
export type { JobSnapshot, InstanceSnapshot } from './kernel/runtime/state/job-snapshot.js';
export type { KeyedSnapshot, KeyGroupColumn } from './kernel/runtime/state/keyed-snapshot.js';
export { ReducingState } from './kernel/runtime/state/reducing-state.js';
export { AggregatingState } from './kernel/runtime/state/aggregating-state.js';
export type { AggregateFunction } from './kernel/runtime/state/aggregate-function.js';
export type { KeyStrategy } from './core/transformation/key-by-transformation.js';
export { BaseService } from './core/api/service/base-service.js';
export { PipelineService } from './core/api/service/pipeline-service.js';
export type { PipelineRequest, PipelineReply } from './core/api/service/pipeline-envelope.js';
export { ServiceFactory } from './core/api/factory/service-factory.js';
export {
  PipelineServiceFactory,
  type PipelineServiceBuilder,
} from './core/api/factory/pipeline-service-factory.js';
export { ServiceContext } from './kernel/runtime/service/service-context.js';
export type { ServiceCallTarget, ServiceCallSpec } from './kernel/runtime/service/service-call-target.js';
export {
  DEFAULT_HOOK_TIMEOUT,
  DEFAULT_SERVICE_TIMEOUT,
  type ServiceOptions,
} from './kernel/runtime/service/service-options.js';
export { isRetryable, type RetryOptions } from './kernel/runtime/service/retry-options.js';
export type { BatchOptions } from './kernel/runtime/service/batch-options.js';
export type { RateLimitOptions } from './kernel/runtime/service/rate-limit-options.js';
export type { ServiceDefinition } from './kernel/runtime/service/service-definition.js';
export type { ServiceStats } from './kernel/runtime/service/service-stats.js';
export { StopSignal } from './kernel/runtime/stop-signal.js';
export { TaskContext } from './kernel/runtime/context/task-context.js';
export type { ErrorPolicy } from './kernel/runtime/error-policy.js';
export type { OverflowPolicy } from './kernel/runtime/source/overflow-policy.js';
export type { OperatorStats } from './kernel/runtime/metrics/operator-stats.js';
export {
  JobManager,
  type HealthReport,
  type JobManagerOptions,
  type SubmitOptions,
} from './kernel/jobmanager/job-manager.js';
export type { ExecutionBackend, JobRunner } from './kernel/runtime/job-runner.js';
export { Dispatcher, type DispatcherOptions, type DispatcherState } from './kernel/runtime/dispatcher.js';
export type { JobOutcome } from './kernel/runtime/job-outcome.js';
export type { PhysicalPlan, PlanVertex, PlanEdge, Partitioning } from './kernel/runtime/physical-plan.js';
export type { JobConfig } from './kernel/jobmanager/job-config.js';
export type { LogLevelName, LogRecord, LogSink } from './kernel/runtime/log/log-record.js';
export { consoleLogSink } from './kernel/runtime/log/console-log-sink.js';
export type { JobDescription } from './kernel/jobmanager/job-description.js';
export { JobInfo, type ReportedCounters } from './kernel/jobmanager/job-info.js';
export type { WorkerStatus } from './kernel/backend/threads/threads-runner.js';
export type { ShardStats } from './kernel/backend/threads/threads-protocol.js';
export type { PeerStats } from './kernel/backend/threads/peer.js';
export type { JobState, JobStatus, PlanSummary, UnknownJobStatus } from './kernel/jobmanager/job-status.js';
export type { JobSummary, JobSummaryPage, PageOptions } from './kernel/jobmanager/job-summary.js';
export { ExecutionGraph } from './kernel/jobmanager/compiler/execution-graph.js';
export { SageError } from './errors/sage-error.js';
export { InvalidParallelismError } from './errors/invalid-parallelism-error.js';
export { InvalidFunctionError } from './errors/invalid-function-error.js';
export { JobNotFoundError } from './errors/job-not-found-error.js';
export { JobFailedError } from './errors/job-failed-error.js';
export { JobStateError } from './errors/job-state-error.js';
export { PipelineBuildError } from './errors/pipeline-build-error.js';
export { BufferOverflowError } from './errors/buffer-overflow-error.js';
export { CoMapArityError } from './errors/co-map-arity-error.js';
export { JoinArityError } from './errors/join-arity-error.js';
export { UnkeyedJoinError } from './errors/unkeyed-join-error.js';
export { FutureError } from './errors/future-error.js';
export { KeyEncodingError } from './errors/key-encoding-error.js';
export { SnapshotMismatchError } from './errors/snapshot-mismatch-error.js';
export type { CheckpointOptions } from './kernel/runtime/checkpoint/checkpoint-options.js';
export type { CheckpointStats } from './kernel/runtime/checkpoint/checkpoint-stats.js';
export type { RestartStrategy } from './kernel/runtime/restart/restart-strategy.js';
export { StateAccessError } from './errors/state-access-error.js';
export { InvalidDurationError } from './errors/invalid-duration-error.js';
export { UnkeyedTimerError } from './errors/unkeyed-timer-error.js';
export { UnkeyedWindowError } from './errors/unkeyed-window-error.js';
export { ServiceCallError } from './errors/service-call-error.js';
export { ServiceTimeoutError } from './errors/service-timeout-error.js';
export { ServiceNotFoundError } from './errors/service-not-found-error.js';
export { ServiceStoppedError } from './errors/service-stopped-error.js';
export { ServiceSetupError } from './errors/service-setup-error.js';
export { ServiceHookTimeoutError } from './errors/service-hook-timeout-error.js';
export { ServiceOptionsError } from './errors/service-options-error.js';
export { LogOptionsError } from './errors/log-options-error.js';
export { RetryableError } from './errors/retryable-error.js';
export {
  RemoteEnvironment,
  type RemoteEnvironmentConfig,
  type RemoteSubmitOptions,
} from './core/api/remote-environment.js';
export {
  JobManagerServer,
  type JobManagerServerOptions,
  type ServerAddress,
} from './kernel/jobmanager/server/job-manager-server.js';
export type { JobBuilder } from './kernel/jobmanager/server/job-builder.js';
export {
  JobManagerHttpServer,
  DEFAULT_HTTP_PORT,
  type HttpServerAddress,
  type JobManagerHttpServerOptions,
} from './kernel/jobmanager/http/job-manager-http-server.js';
export { startHttpServer } from './kernel/jobmanager/http/start-http-server.js';
export {
  JobManagerMetricsSource,
  LATENCY_BUCKETS_SECONDS,
} from './kernel/jobmanager/http/job-manager-metrics-source.js';
export type {
  CheckpointMetrics,
  InstanceMetrics,
  JobMetrics,
  LatencyHistogram,
  MetricsSource,
  RecordErrorEntry,
  ServiceMetrics,
} from './kernel/jobmanager/http/metrics-source.js';
export { renderPrometheus } from './kernel/jobmanager/http/prometheus-exposition.js';
export {
  JobManagerClient,
  type JobManagerClientOptions,
  type RequestParams,
  type SubmitJobParams,
} from './kernel/jobmanager/client/job-manager-client.js';
export { encodeFrame } from './kernel/jobmanager/protocol/frame-encoder.js';
export { FrameDecoder, type DecodedFrame } from './kernel/jobmanager/protocol/frame-decoder.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
} from './kernel/jobmanager/protocol/protocol-defaults.js';
export type {
  Action,
  ErrorResponse,
  Request,
  RequestId,
  Response,
  ServerInfo,
  SuccessResponse,
} from './kernel/jobmanager/protocol/messages.js';
export { ProtocolError } from './errors/protocol-error.js';
export { ConnectionError } from './errors/connection-error.js';
export { RequestTimeoutError } from './errors/request-timeout-error.js';
export { RequestFailedError } from './errors/request-failed-error.js';
export { AuthenticationError } from './errors/authentication-error.js';
export { ModuleNotAllowedError } from './errors/module-not-allowed-error.js';
export { JobModuleError } from './errors/job-module-error.js';
export { UsageError } from './errors/usage-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { InvalidPageError } from './errors/invalid-page-error.js';
export { BufferLimitError } from './errors/buffer-limit-error.js';
export { RateLimitError } from './errors/rate-limit-error.js';
export { HttpRequestError } from './errors/http-request-error.js';
export { SavepointTooLargeError } from './errors/savepoint-too-large-error.js';
export { SavepointFileError } from './errors/savepoint-file-error.js';
export { PlanMismatchError } from './errors/plan-mismatch-error.js';
export { BackendUnavailableError } from './errors/backend-unavailable-error.js';
export { BackendOptionsError } from './errors/backend-options-error.js';
export { RedisOptionsError } from './errors/redis-options-error.js';
export { MissingDependencyError } from './errors/missing-dependency-error.js';
export { SavepointError } from './errors/savepoint-error.js';
export { CrossSlotError } from './errors/cross-slot-error.js';
export { RecordNotSerializableError } from './errors/record-not-serializable-error.js';
export type { SavepointOptions } from './kernel/jobmanager/client/job-manager-client.js';
export type { BucketHistogram } from './kernel/jobmanager/http/metrics-source.js';
export type { BucketSnapshot } from './kernel/runtime/metrics/bucket-counts.js';
export type { Window } from './core/api/window/window.js';
export { WindowedStream } from './core/api/window/windowed-stream.js';
export { JoinedStreams } from './core/api/window/joined-streams.js';
export { IntervalJoin } from './core/api/window/interval-join.js';
export { TimeWindow } from './core/api/window/time-window.js';
export { GlobalWindow } from './core/api/window/global-window.js';
export type { TimestampedValue } from './core/api/window/timestamped-value.js';
export type { WindowClock } from './core/api/window/window-clock.js';
export { WindowAssigner } from './core/api/window/window-assigner.js';
export { TumblingWindows } from './core/api/window/tumbling-windows.js';
export { TumblingEventTimeWindows } from './core/api/window/tumbling-event-time-windows.js';
export { TumblingProcessingTimeWindows } from './core/api/window/tumbling-processing-time-windows.js';
export { SlidingWindows } from './core/api/window/sliding-windows.js';
export { SlidingEventTimeWindows } from './core/api/window/sliding-event-time-windows.js';
export { SlidingProcessingTimeWindows } from './core/api/window/sliding-processing-time-windows.js';
export { SessionWindows } from './core/api/window/session-windows.js';
export { EventTimeSessionWindows } from './core/api/window/event-time-session-windows.js';
export { ProcessingTimeSessionWindows } from './core/api/window/processing-time-session-windows.js';
export { GlobalWindows } from './core/api/window/global-windows.js';
export { Trigger } from './core/api/window/trigger.js';
export type { TriggerResult } from './core/api/window/trigger-result.js';
export type { TriggerContext } from './core/api/window/trigger-context.js';
export type { OnMergeContext } from './core/api/window/on-merge-context.js';
export { EventTimeTrigger } from './core/api/window/event-time-trigger.js';
export { ProcessingTimeTrigger } from './core/api/window/processing-time-trigger.js';
export { CountTrigger } from './core/api/window/count-trigger.js';
export { PurgingTrigger } from './core/api/window/purging-trigger.js';
export { DeltaTrigger } from './core/api/window/delta-trigger.js';
export { NeverTrigger } from './core/api/window/never-trigger.js';
export type { DeltaFunction } from './core/api/window/delta-function.js';
export { Evictor } from './core/api/window/evictor.js';
export type { EvictorContext } from './core/api/window/evictor-context.js';
export { CountEvictor } from './core/api/window/count-evictor.js';
export { TimeEvictor } from './core/api/window/time-evictor.js';
export { DeltaEvictor } from './core/api/window/delta-evictor.js';
export { removeWhere } from './core/api/window/remove-where.js';
export { ProcessWindowFunction } from './core/api/window/process-window-function.js';
export type { ProcessWindowFn, ReduceFunction, WindowFunction } from './core/api/window/window-function.js';
export {
  WindowedStreamSpecBuilder,
  type ProcessWindowFunctionClass,
  type WindowedStreamSpec,
  type WindowFunctionSpec,
} from './core/api/window/windowed-stream-spec.js';
export { WindowMergeError } from './errors/window-merge-error.js';
export { AsyncWindowResultError } from './errors/async-window-result-error.js';
export { InvalidWindowSizeError } from './errors/invalid-window-size-error.js';
export { InvalidWindowSlideError } from './errors/invalid-window-slide-error.js';
export { InvalidSessionGapError } from './errors/invalid-session-gap-error.js';
export { AllowedLatenessError } from './errors/allowed-lateness-error.js';
export { MissingTimestampError } from './errors/missing-timestamp-error.js';
