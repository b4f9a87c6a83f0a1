export interface Config {
  /** Organisation defaults and settings of the Cloud-Native Deployment Orchestrator */
  cloudNative?: {
    /** Image registry prefix used when a spec names none, e.g. registry.example.com/team */
    registry?: string;
    /** Default cloud: aws, azure, gcp, multi-cloud or platform-agnostic */
    cloud?: string;
    /** Default region */
    region?: string;
    /** Default tier: T1, T2 or T3 */
    tier?: string;
    /** helm binary for chart checks (default: helm on PATH; skipped when none) */
    helmPath?: string;
    policy?: {
      /** Severity per policy rule id: error, warning, info or off */
      severityOverrides?: { [ruleId: string]: string };
    };
    localPublish?: {
      /**
       * Folder that cloud-native:publish:local copies new components into
       * (local development without a Git host). Unset: the action refuses.
       */
      directory?: string;
    };
  };
}
