import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentReport,
  EstimatedCosts,
  Finding,
  ReportDrift,
  ReportHistoryItem,
  ValidationResults,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * A deployment report as the plugin renders it. The report contract (its
 * blocks, tool checks and cost lines) lives in the common package, shared
 * with the engine that writes it and the backend that reads it.
 *
 * @public
 */
export type CloudNativeReport = DeploymentReport;

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
 * Response of `GET /entities/:namespace/:kind/:name/history`.
 *
 * @public
 */
export interface ReportHistoryResponse {
  items: ReportHistoryItem[];
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
