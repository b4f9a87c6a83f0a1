/** The release name is a plan-level decision (src/plan/helmRelease.ts). */
export { HELM_RELEASE_NAME_MAX, helmReleaseName } from '../../plan/helmRelease';
