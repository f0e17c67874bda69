/** The kinds of transformation, one per chain call. */
export type TransformationKind =
  | 'batch'
  | 'source'
  | 'observable'
  | 'future'
  | 'map'
  | 'filter'
  | 'flatMap'
  | 'keyBy'
  | 'sink'
  | 'coMap'
  | 'join'
  | 'pipe'
  | 'timestamps'
  | 'process'
  | 'sideOutput';
