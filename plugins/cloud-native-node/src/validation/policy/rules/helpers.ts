import { PolicyContext, PolicyViolation } from '../types';
import { asObj, ContainerRef, Workload } from '../model';

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
