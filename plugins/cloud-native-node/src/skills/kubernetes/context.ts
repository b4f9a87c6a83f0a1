import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { EnvironmentProfile, ServiceProfile } from '../../plan/profile';

/** Collects notes for the trace, once each, in the order they are added. */
export class Notes {
  private readonly seen = new Set<string>();

  add(note: string): void {
    this.seen.add(note);
  }

  list(): string[] {
    return [...this.seen];
  }
}

/** Everything the object builders of one environment read. */
export interface GenerationContext {
  plan: DeploymentPlan;
  environment: string;
  profile: EnvironmentProfile;
  namespace: string;
  /** Kubernetes-runtime services by name, in plan order */
  services: Map<string, ServicePlan>;
  notes: Notes;
}

export function serviceProfile(
  context: GenerationContext,
  servicePlan: ServicePlan,
): ServiceProfile {
  return context.profile.services[servicePlan.name];
}
