/**
 * The Cloud-Native Deployment Orchestrator engine: architecture spec in,
 * validated deployment package and report out. No Backstage imports.
 *
 * @packageDocumentation
 */
export * from './core/types';
export * from './core/errors';
export * from './engine/loadSpec';
export * from './engine/orchestrate';
export * from './core/serialize';
export * from './core/version';
export { builtinSkills } from './engine/skills';
export * from './package/writePackage';
export { runCli } from './cli/runCli';
export type { CliIO } from './cli/runCli';
export { REPORT_FILE } from './core/layout';
export { diagnosePods } from './diagnose';
export type { Diagnosis, DiagnosisCategory, DiagnoseExtra } from './diagnose';
export { estimateCost, formatCostTable } from './cost';
export type {
  CostCategory,
  CostEstimate,
  CostLine,
  CostRecommendation,
  EstimateCostOptions,
} from './cost';
export { parseManifests } from './validation';
export {
  builtinValidators,
  skillValidators,
  validatePackage,
} from './engine/validators';
export { combineValidators, NO_VALIDATORS } from './core/validators';
export type {
  PackageValidationResult,
  ToolCheck,
  ValidatePackageOptions,
} from './validation';
export { readPackageDirectory } from './package/readPackage';
export { locateTool, runTool } from './tools';
export type {
  LocatedTool,
  LocateToolOptions,
  RunToolOptions,
  RunToolResult,
  ToolName,
} from './tools';
