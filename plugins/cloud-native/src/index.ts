/**
 * The Cloud-Native Deployment Orchestrator frontend plugin.
 *
 * Legacy frontend system: import from this entry point.
 * New frontend system: import the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  cloudNativePlugin,
  EntityCloudNativeCard,
  EntityCloudNativeContent,
} from './plugin';
export type { EntityCloudNativeCardProps } from './components/EntityCloudNativeCard';
export { isCloudNativeAvailable } from './lib/conditions';
// The report contract's types (ToolCheck, CostLine, EstimatedCosts, ...) are
// exported by the common package, which the engine and the backend share.
export * from './api';
export * from './scaffolder';
