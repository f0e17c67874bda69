import type { OperatorSpec, SourceSpec } from '../../kernel/runtime/operator-spec.js';
import { PipelineBuildError } from '../../errors/pipeline-build-error.js';
import type { Transformation } from '../transformation/transformation.js';
import { BatchTransformation } from '../transformation/batch-transformation.js';
import { FilterTransformation } from '../transformation/filter-transformation.js';
import { FlatMapTransformation } from '../transformation/flat-map-transformation.js';
import { KeyByTransformation } from '../transformation/key-by-transformation.js';
import { MapTransformation } from '../transformation/map-transformation.js';
import { ObservableTransformation } from '../transformation/observable-transformation.js';
import { SinkTransformation } from '../transformation/sink-transformation.js';
import { SourceTransformation } from '../transformation/source-transformation.js';
import { CoMapTransformation } from '../transformation/co-map-transformation.js';
import { JoinTransformation } from '../transformation/join-transformation.js';
import { FutureTransformation } from '../transformation/future-transformation.js';
import { PipeTransformation } from '../transformation/pipe-transformation.js';
import { TimestampsTransformation } from '../transformation/timestamps-transformation.js';
import { ProcessTransformation } from '../transformation/process-transformation.js';
import { SideOutputTransformation } from '../transformation/side-output-transformation.js';
import { WindowTransformation } from '../transformation/window-transformation.js';
import { lowerCoMap } from './co-map-operator.js';
import { lowerJoin } from './join-operator.js';
import { lowerFuture } from './future-operator.js';
import { lowerFilter } from './filter-operator.js';
import { lowerFlatMap } from './flat-map-operator.js';
import { lowerKeyBy } from './key-by-operator.js';
import { lowerMap } from './map-operator.js';
import { lowerPipe } from './pipe-operator.js';
import { lowerSink } from './sink-operator.js';
import { lowerTimestamps } from './timestamps-operator.js';
import { lowerProcess } from './process-operator.js';
import { lowerSideOutput } from './side-output-operator.js';
import { lowerWindow } from './window-step.js';
import { lowerBatch, lowerObservable, lowerSource } from './source-operator.js';

/**
 * Lowers a source transformation to the spec of the source at the head of a vertex.
 *
 * @example
 * ```ts
 * const spec = lowerSourceOf(env.pipeline[0]);
 * ```
 */
export function lowerSourceOf(t: Transformation): SourceSpec {
  if (t instanceof BatchTransformation) return lowerBatch(t);
  if (t instanceof SourceTransformation) return lowerSource(t);
  if (t instanceof ObservableTransformation) return lowerObservable(t);
  throw new PipelineBuildError(`${t.name}: a ${t.kind} transformation is not a source`);
}

/**
 * Lowers one non-source transformation to the operator spec the runtime runs.
 *
 * @example
 * ```ts
 * const spec = lowerOperator(mapTransformation);
 * ```
 */
export function lowerOperator(t: Transformation): OperatorSpec {
  if (t instanceof MapTransformation) return lowerMap(t);
  if (t instanceof FilterTransformation) return lowerFilter(t);
  if (t instanceof FlatMapTransformation) return lowerFlatMap(t);
  if (t instanceof KeyByTransformation) return lowerKeyBy(t);
  if (t instanceof SinkTransformation) return lowerSink(t);
  if (t instanceof CoMapTransformation) return lowerCoMap(t);
  if (t instanceof JoinTransformation) return lowerJoin(t);
  if (t instanceof FutureTransformation) return lowerFuture(t);
  if (t instanceof PipeTransformation) return lowerPipe(t);
  if (t instanceof TimestampsTransformation) return lowerTimestamps(t);
  if (t instanceof WindowTransformation) return lowerWindow(t);
  if (t instanceof ProcessTransformation) return lowerProcess(t);
  if (t instanceof SideOutputTransformation) return lowerSideOutput(t);
  throw new PipelineBuildError(`${t.name}: no lowering for transformation kind ${t.kind}`);
}
