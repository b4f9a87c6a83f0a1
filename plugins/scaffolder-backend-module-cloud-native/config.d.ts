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
    // helmPath and policy.severityOverrides: declared by the common package,
    // which reads them for the actions and the backend alike
    localPublish?: {
      /**
       * Folder that cloud-native:publish:local copies new components into
       * (local development without a Git host). Unset: the action refuses.
       */
      directory?: string;
    };
  };
}
