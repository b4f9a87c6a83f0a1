/**
 * The Cloud-Native Deployment Orchestrator frontend plugin.
 *
 * Legacy frontend system: import from this entry point.
 * New frontend system: import the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export { cloudNativePlugin } from './plugin';
