import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../core/types';
import { renderArchitecture } from './architecture';
import { renderDeployment } from './deployment';
import { collectFacts, GuideContext } from './facts';
import { renderTroubleshooting } from './troubleshooting';

export type { GuideContext } from './facts';

/** Paths of the documents, relative to the package root. */
export const GUIDE_PATHS = {
  deployment: 'docs/DEPLOYMENT.md',
  architecture: 'docs/ARCHITECTURE.md',
  troubleshooting: 'docs/TROUBLESHOOTING.md',
} as const;

/**
 * The long-form documents of a deployment package, written for this plan:
 * its namespace, services, environments, chart and release.
 *
 * - `docs/DEPLOYMENT.md`: prerequisites, build, cluster add-ons, deploy per
 *   environment (Helm or manifests, mesh, cloud overlays, serverless,
 *   GitOps), validation, the progressive delivery phases of the Rollouts,
 *   rollback
 * - `docs/ARCHITECTURE.md`: the platform decision with its rule ids, the
 *   services, a Mermaid diagram of the topology, tier features, open
 *   questions
 * - `docs/TROUBLESHOOTING.md`: the decision tree (Mermaid and text) and the
 *   issue tables with this package's names
 *
 * Sections depend on the plan (packaging, mesh, Rollouts, serverless
 * functions, cluster providers, GitOps) and on `context.files`, the paths
 * of the package (cloud overlays, GitOps and serverless files that exist).
 * Pure and deterministic: the same input gives byte-identical documents.
 */
export function renderDeploymentGuide(
  plan: DeploymentPlan,
  context: GuideContext,
): GeneratedFile[] {
  const facts = collectFacts(plan, context);
  return [
    { path: GUIDE_PATHS.deployment, content: renderDeployment(facts) },
    { path: GUIDE_PATHS.architecture, content: renderArchitecture(facts) },
    {
      path: GUIDE_PATHS.troubleshooting,
      content: renderTroubleshooting(facts),
    },
  ];
}
