/**
 * The value an action gave one of its outputs, read from a mock action
 * context (`createMockActionContext`); undefined when it never set it.
 */
export function outputOf(ctx: { output: unknown }, name: string): any {
  return (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];
}
