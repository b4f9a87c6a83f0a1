/**
 * External tools the engine runs to validate packages (helm, kubectl): how
 * they are found and how they are run (no shell, always with a timeout).
 */
export { findTool, locateTool } from './locateTool';
export type {
  LocateToolOptions,
  LocatedTool,
  ToolLookup,
  ToolName,
} from './locateTool';
export {
  DEFAULT_TOOL_DEADLINE_MS,
  DEFAULT_TOOL_TIMEOUT_MS,
  runPackageToolChecks,
} from './packageChecks';
export type {
  PackageToolCheck,
  PackageToolChecksOptions,
} from './packageChecks';
export { runTool } from './runTool';
export type { RunToolOptions, RunToolResult } from './runTool';
