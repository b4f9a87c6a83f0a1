/** The variables that point the engine at helm and kubectl (tools/locateTool.ts), set to paths that do not exist. */
const MISSING_TOOLS: Record<string, string> = {
  CNO_HELM_PATH: '/nonexistent/helm',
  CNO_KUBECTL_PATH: '/nonexistent/kubectl',
};

/**
 * For the tests of the enclosing `describe`: points the engine at helm and
 * kubectl paths that do not exist, so the tool checks are skipped (a run
 * takes ~0.3 s, and the tools of the machine never change the result), and
 * restores the variables afterwards.
 */
export function withoutHelmAndKubectl(): void {
  const saved = new Map<string, string | undefined>();
  beforeAll(() => {
    for (const [key, missing] of Object.entries(MISSING_TOOLS)) {
      saved.set(key, process.env[key]);
      process.env[key] = missing;
    }
  });
  afterAll(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
}
