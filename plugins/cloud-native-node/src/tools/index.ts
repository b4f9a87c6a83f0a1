/**
 * External tools the engine runs to validate packages (helm, kubectl): how
 * they are found and how they are run (no shell, always with a timeout).
 */
export { locateTool } from './locateTool';
export type { LocateToolOptions, LocatedTool, ToolName } from './locateTool';
export { runTool } from './runTool';
export type { RunToolOptions, RunToolResult } from './runTool';
