import { PolicyContext, PolicyViolation } from '../types';
import { asObj, ContainerRef, Workload } from '../model';

/**
 * A rule's check that is about workloads (objects with a Pod template): no
 * violation for other objects, else `check` with the workload.
 */
export function forWorkload(
  check: (workload: Workload, ctx: PolicyContext) => PolicyViolation[],
): (ctx: PolicyContext) => PolicyViolation[] {
  return ctx => (ctx.workload ? check(ctx.workload, ctx) : []);
}

/** Runs `check` on every container (init containers included). */
export function perContainer(
  ctx: PolicyContext,
  check: (container: ContainerRef, workload: Workload) => PolicyViolation[],
  filter: (container: ContainerRef, workload: Workload) => boolean = () => true,
): PolicyViolation[] {
  const workload = ctx.workload;
  if (!workload) return [];
  return workload.containers
    .filter(container => filter(container, workload))
    .flatMap(container => check(container, workload));
}

/** A security context field of the container, else of the Pod. */
export function effectiveSecurity(
  workload: Workload,
  container: ContainerRef,
  key: string,
): unknown {
  const own = asObj(container.container.securityContext)[key];
  return own !== undefined ? own : asObj(workload.pod.securityContext)[key];
}

export function violation(path: string, message: string): PolicyViolation {
  return { path, message };
}

/** `container "api"` or `init container "wait"` for messages. */
export function describe(container: ContainerRef): string {
  if (container.sidecar) return `sidecar container "${container.name}"`;
  return container.init
    ? `init container "${container.name}"`
    : `container "${container.name}"`;
}
