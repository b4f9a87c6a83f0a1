/**
 * The Cloud-Native Deployment Orchestrator engine: architecture spec in,
 * validated deployment package and report out. No Backstage imports.
 *
 * @packageDocumentation
 */
export * from './engine/types';
export * from './engine/errors';
export * from './engine/loadSpec';
export * from './engine/orchestrate';
export * from './engine/serialize';
export * from './engine/version';
export { builtinSkills } from './engine/skills';
export * from './package/writePackage';
export { runCli } from './cli/runCli';
export type { CliIO } from './cli/runCli';
export { REPORT_FILE } from './report/buildReport';
