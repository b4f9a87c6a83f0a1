import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentReport,
  Finding,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * Result of one validation area of a deployment package.
 *
 * @public
 */
export type ValidationAreaStatus = 'pass' | 'fail' | 'n/a';

/**
 * A check run by a real tool (helm, kubectl kustomize) during validation.
 *
 * @public
 */
export interface ToolCheck {
  area: string;
  check: string;
  status: 'pass' | 'fail' | 'skipped';
  /** Why the check failed or was skipped */
  reason?: string;
}

/**
 * One priced line of the cost estimate.
 *
 * @public
 */
export interface CostLine {
  resource: string;
  category: string;
  environment: string;
  service?: string;
  monthlyQuantity: number;
  unit: string;
  unitPrice: number;
  monthlyCost: number;
  source?: string;
}

/**
 * The `estimated_costs` block of a report. The common schema declares the
 * required keys and passes the rest through; the breakdowns are typed here
 * because this plugin renders them. All of them are optional so that reports
 * of older engine versions still render.
 *
 * @public
 */
export type EstimatedCosts = DeploymentReport['estimated_costs'] & {
  assumptions?: string[];
  byCategory?: Record<string, number>;
  byService?: Record<string, number>;
  byEnvironment?: Record<string, number>;
  lines?: CostLine[];
};

/**
 * The `validation_results` block of a report; `serverless` is absent in
 * reports of older engine versions.
 *
 * @public
 */
export type ValidationResults = DeploymentReport['validation_results'] & {
  serverless?: ValidationAreaStatus;
};

/**
 * A deployment report as the plugin renders it: the common schema's output
 * plus the passthrough keys this plugin reads. (An intersection, not `Omit`:
 * the passthrough index signature would make `Omit` drop every known key.)
 *
 * @public
 */
export type CloudNativeReport = DeploymentReport & {
  estimated_costs: EstimatedCosts;
  validation_results: ValidationResults;
  tool_checks?: ToolCheck[];
};

/**
 * Response of `GET /entities/:namespace/:kind/:name/report`.
 *
 * @public
 */
export interface CloudNativeReportResponse {
  entityRef: string;
  /** Where the backend read the report from (a location ref or URL) */
  location: string;
  fetchedAt: string;
  report: CloudNativeReport;
}

/**
 * One recorded version of an entity's report.
 *
 * @public
 */
export interface ReportHistoryItem {
  id: string;
  recordedAt: string;
  specDigest: string;
  reportDigest: string;
  validationStatus: 'pass' | 'fail';
  errors: number;
  warnings: number;
  monthlyCost: number | null;
}

/**
 * Response of `GET /entities/:namespace/:kind/:name/history`.
 *
 * @public
 */
export interface ReportHistoryResponse {
  items: ReportHistoryItem[];
}

/**
 * What changed between the recorded report and the package as it is now in
 * the repository.
 *
 * @public
 */
export interface ReportDrift {
  filesAdded: string[];
  filesRemoved: string[];
  filesModified: string[];
  validationChanged: boolean;
  /** Monthly cost now minus the recorded monthly cost */
  costDelta: number;
}

/**
 * Response of `POST /entities/:namespace/:kind/:name/revalidate`.
 *
 * @public
 */
export interface RevalidationResponse {
  entityRef: string;
  validatedAt: string;
  validationStatus: 'pass' | 'fail';
  results: ValidationResults;
  findings: Finding[];
  estimatedCosts: EstimatedCosts;
  drift: ReportDrift;
}

/**
 * An entity reference: a string such as `component:default/shop` or its
 * compound form.
 *
 * @public
 */
export type CloudNativeEntityRef = string | CompoundEntityRef;

/**
 * Client of the cloud-native backend plugin.
 *
 * @public
 */
export interface CloudNativeApi {
  /** The entity's deployment report, read from its repository */
  getReport(
    entityRef: CloudNativeEntityRef,
  ): Promise<CloudNativeReportResponse>;
  /** The recorded versions of the entity's report, newest first */
  getHistory(entityRef: CloudNativeEntityRef): Promise<ReportHistoryResponse>;
  /** Validates the package in the repository again and reports the drift */
  revalidate(entityRef: CloudNativeEntityRef): Promise<RevalidationResponse>;
}

/**
 * Reference to the {@link CloudNativeApi}.
 *
 * @public
 */
export const cloudNativeApiRef = createApiRef<CloudNativeApi>({
  id: 'plugin.cloud-native.service',
});
