import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { ManagedProvider } from '../../plan/names';
import { scrapedServices } from './context';
import {
  azureServiceMonitor,
  podMonitoring,
  prometheusRule,
  scrapeNetworkPolicy,
  serviceMonitor,
} from './monitoring';
import { ResourceFile } from './types';

/**
 * The monitoring files of one provider and environment: only at T3 (tier
 * feature `observability`) and when some service is scraped.
 */
export function monitoringResources(
  plan: DeploymentPlan,
  provider: ManagedProvider,
  environment: string,
): ResourceFile[] {
  const services = scrapedServices(plan);
  if (!plan.tierFeatures.observability || services.length === 0) return [];
  const files: ResourceFile[] = [
    {
      file: 'monitoring.yaml',
      objects: [
        ...services.map(s => serviceMonitor(plan, s, environment)),
        prometheusRule(plan, services, environment),
        ...(plan.tierFeatures.networkPolicies
          ? [scrapeNetworkPolicy(plan, provider, services, environment)]
          : []),
      ],
      validation: 'schema',
    },
  ];
  if (provider === 'gke') {
    files.push({
      file: 'managed-prometheus.yaml',
      objects: services.map(s => podMonitoring(plan, s, environment)),
      validation: 'custom',
    });
  }
  if (provider === 'aks') {
    files.push({
      file: 'managed-prometheus.yaml',
      objects: services.map(s => azureServiceMonitor(plan, s, environment)),
      validation: 'custom',
    });
  }
  return files;
}
