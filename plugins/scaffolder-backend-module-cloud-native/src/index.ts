/**
 * Scaffolder actions of the Cloud-Native Deployment Orchestrator.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCloudNative as default } from './module';
export { createCloudNativeActions } from './actions';
