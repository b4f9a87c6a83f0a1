export interface Config {
  /** Settings of the Cloud-Native Deployment Orchestrator */
  cloudNative?: {
    /**
     * helm binary for chart checks (default: helm on PATH; skipped when
     * none). Read by the scaffolder actions and the backend's revalidation.
     */
    helmPath?: string;
    policy?: {
      /**
       * Severity per policy rule id. Applied wherever a package is validated:
       * by the scaffolder actions and by the backend's revalidation.
       */
      severityOverrides?: {
        [ruleId: string]: 'error' | 'warning' | 'info' | 'off';
      };
    };
  };
}
