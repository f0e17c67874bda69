import type { PlanVertex } from '../physical-plan.js';

/**
 * The strongly connected components of a plan that contain a cycle (feedback loops), found with Tarjan's
 * algorithm over the vertices' output edges.
 *
 * @example
 * ```ts
 * for (const loop of findLoops(plan.vertices)) console.log(loop.map((v) => v.id));
 * ```
 */
export function findLoops(vertices: readonly PlanVertex[]): PlanVertex[][] {
  const index = new Map<PlanVertex, number>();
  const low = new Map<PlanVertex, number>();
  const onStack = new Set<PlanVertex>();
  const stack: PlanVertex[] = [];
  const loops: PlanVertex[][] = [];
  let counter = 0;

  const visit = (v: PlanVertex): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const edge of v.outputs) {
      const w = edge.to;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: PlanVertex[] = [];
      let w: PlanVertex;
      do {
        w = stack.pop() as PlanVertex;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && v.outputs.some((e) => e.to === v);
      if (component.length > 1 || selfLoop) loops.push(component);
    }
  };

  for (const v of vertices) if (!index.has(v)) visit(v);
  return loops;
}
