/**
 * A problem found in a generated serverless artifact (SAM template,
 * serverless.yml, IAM document).
 */
export interface ServerlessFinding {
  /** Stable rule id, for example `aws/unknown-property` */
  ruleId: string;
  severity: 'error' | 'warning';
  /** The file the object came from, relative to the package root */
  file: string;
  /** Where in the file, for example `Resources.Fn.Properties.MemorySize` */
  objectPath: string;
  message: string;
  /** Equivalent rule ids of well-known linters (cfn-lint, Checkov) */
  anchors: string[];
}

/** A JSON-like value of a template or manifest. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON-like object. */
export type JsonObject = { [key: string]: JsonValue };
