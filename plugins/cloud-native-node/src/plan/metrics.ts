import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  hasClusterService,
  isServing,
  kubernetesServices,
  speaksHttp,
} from './workload';

/**
 * Which services' metrics the package has scraped, decided once and read by
 * the pod annotations and NetworkPolicies (kubernetes skill), the
 * ServiceMonitors and PodMonitorings (cloud skill) and the release gates
 * (the Rollouts' AnalysisTemplates).
 *
 * A service is scraped from T3 (tier feature `observability`) when it is
 * long-running with the ClusterIP Service `<svc>` on an HTTP port (gRPC and
 * TCP ports serve no `/metrics`) and runs an image this package builds,
 * whose `/metrics` and `http_requests_total` are the package's convention;
 * a prebuilt image (a database) serves neither and needs an exporter.
 */
export function isScraped(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): boolean {
  return (
    plan.tierFeatures.observability &&
    servicePlan.runtime === 'kubernetes' &&
    isServing(servicePlan) &&
    hasClusterService(servicePlan) &&
    speaksHttp(servicePlan) &&
    servicePlan.buildsImage
  );
}

/** The scraped services of a plan, in plan order (see isScraped). */
export function scrapedServices(plan: DeploymentPlan): ServicePlan[] {
  return kubernetesServices(plan).filter(s => isScraped(plan, s));
}

/**
 * Whether the package also writes what makes a Prometheus collect the
 * service's metrics (ServiceMonitors, PodMonitorings: the cloud skill, on
 * managed clusters). A platform-agnostic package only annotates its pods,
 * and which Prometheus reads the annotations is the cluster's business.
 */
export function isCollected(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): boolean {
  return (
    isScraped(plan, servicePlan) &&
    plan.clusterProviders.some(provider => provider !== 'generic')
  );
}
