import {
  Language,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { imageTag } from '../../plan/names';
import { isServing } from '../../plan/workload';

/** Where the server listens when the spec names no port. */
export const DEFAULT_LISTEN_PORT = 8080;

/** Health paths that can be embedded in a probe command as they are. */
const SAFE_HEALTH_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * Everything a Dockerfile recipe needs to know about one service, derived
 * once from its plan.
 */
export interface ImageContext {
  name: string;
  language: Language;
  /** The full image reference the workloads use */
  image: string;
  /** The image's tag, when the reference has one */
  version?: string;
  /** Build context, relative to the package root */
  context: string;
  /** Dockerfile path, relative to the package root */
  dockerfile: string;
  /** True when the workload serves a port (not a worker, job or cronjob) */
  serving: boolean;
  /** The port the server listens on (the spec's port, or 8080) */
  listenPort: number;
  /** The port to EXPOSE: only for serving workloads that declare one */
  exposePort?: number;
  health?: {
    path: string;
    port: number;
    startupSeconds: number;
    /** http://127.0.0.1:port/path */
    url: string;
    /** False when the path has characters a probe command should not embed */
    safe: boolean;
  };
}

/** The registry host of an image reference (`docker.io` when it names none). */
export function imageRegistry(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost'
    ? first
    : 'docker.io';
}

export function imageContext(plan: ServicePlan): ImageContext {
  const { service } = plan;
  if (!service.language) {
    throw new Error(
      `container-image-optimizer: service '${plan.name}' builds an image but has no language`,
    );
  }
  const serving = isServing(plan);
  const listenPort = service.port ?? DEFAULT_LISTEN_PORT;
  const health =
    serving && service.health
      ? {
          path: service.health.path,
          port: service.health.port,
          startupSeconds: service.health.startupSeconds,
          url: `http://127.0.0.1:${service.health.port}${service.health.path}`,
          safe:
            SAFE_HEALTH_PATH.test(service.health.path) &&
            !service.health.path.split('/').includes('..'),
        }
      : undefined;
  return {
    name: plan.name,
    language: service.language,
    image: plan.image,
    version: imageTag(plan.image),
    context: `services/${plan.name}`,
    dockerfile: `containers/${plan.name}/Dockerfile`,
    serving,
    listenPort,
    exposePort: serving ? service.port : undefined,
    health,
  };
}
