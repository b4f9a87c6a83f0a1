/**
 * The Cloud-Native Deployment Orchestrator engine: architecture spec in,
 * validated deployment package and report out. No Backstage imports.
 *
 * @packageDocumentation
 */
export {};
