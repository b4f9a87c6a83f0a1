import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import {
  CLOUD_NATIVE_REPORT_ANNOTATION,
  ReportHistoryItem,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  CloudNativeApi,
  CloudNativeReport,
  CloudNativeReportResponse,
  RevalidationResponse,
} from '../api/types';

/** The example packages the engine generates (golden files of the repository). */
export type ExampleName = 'marketplace-gke-t3' | 'events-serverless-aws';

const reports = new Map<ExampleName, CloudNativeReport>();

/** A real `deployment-report.yaml` of the repository's examples. */
export function loadExampleReport(name: ExampleName): CloudNativeReport {
  if (!reports.has(name)) {
    const file = path.resolve(
      __dirname,
      '../../../..',
      'examples',
      name,
      'package',
      'deployment-report.yaml',
    );
    reports.set(name, parseYaml(fs.readFileSync(file, 'utf8')));
  }
  // A fresh copy: tests may change it
  return structuredClone(reports.get(name)!);
}

export function reportResponse(
  report: CloudNativeReport,
): CloudNativeReportResponse {
  return {
    entityRef: 'component:default/marketplace',
    location:
      'url:https://github.com/acme/marketplace/tree/main/deployment/deployment-report.yaml',
    fetchedAt: '2026-11-02T10:00:00.000Z',
    report,
  };
}

export const SOURCE_LOCATION =
  'url:https://github.com/acme/marketplace/tree/main/';

export function entityWithReport(
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'marketplace',
      namespace: 'default',
      annotations: {
        [CLOUD_NATIVE_REPORT_ANNOTATION]: './deployment/deployment-report.yaml',
        'backstage.io/source-location': SOURCE_LOCATION,
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

export const entityWithoutReport: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

export const historyItems: ReportHistoryItem[] = [
  {
    id: 3,
    recordedAt: '2026-11-03T09:00:00.000Z',
    specDigest: 'sha256:3860be3884d8e808911b27b540f10aeb',
    reportDigest: 'sha256:aaaabbbbccccddddeeee',
    validationStatus: 'pass',
    errors: 0,
    warnings: 6,
    monthlyCost: 1610.36,
  },
  {
    id: 2,
    recordedAt: '2026-11-02T09:00:00.000Z',
    specDigest: 'sha256:1111222233334444',
    reportDigest: 'sha256:5555666677778888',
    validationStatus: 'fail',
    errors: 2,
    warnings: 6,
    monthlyCost: 1702.5,
  },
  {
    id: 1,
    recordedAt: '2026-11-01T09:00:00.000Z',
    specDigest: 'sha256:99990000aaaabbbb',
    reportDigest: 'sha256:ccccddddeeeeffff',
    validationStatus: 'pass',
    errors: 0,
    warnings: 4,
    monthlyCost: 1480,
  },
];

export function revalidationResponse(
  report: CloudNativeReport,
  overrides: Partial<RevalidationResponse> = {},
): RevalidationResponse {
  return {
    entityRef: 'component:default/marketplace',
    validatedAt: '2026-11-04T12:30:00.000Z',
    validationStatus: 'fail',
    results: { ...report.validation_results, helm_chart: 'fail' },
    findings: [
      ...report.findings,
      {
        ruleId: 'helm/lint',
        severity: 'error',
        file: 'helm/marketplace/values-prod.yaml',
        objectPath: 'replicaCount',
        message: 'helm lint --strict: replicaCount must be an integer',
        anchors: [],
      },
    ],
    // the report's cost plus the drift's costDelta
    estimatedCosts: {
      ...report.estimated_costs,
      monthly:
        Math.round(((report.estimated_costs.monthly ?? 0) + 40) * 100) / 100,
    },
    drift: {
      filesAdded: ['kubernetes/prod/extra.yaml'],
      filesRemoved: [],
      filesModified: ['helm/marketplace/values-prod.yaml'],
      validationChanged: true,
      costDelta: 40,
    },
    ...overrides,
  };
}

/**
 * A mocked client; with `report` (an example's name or a report) it answers
 * getReport with it, with `history` getHistory with those items.
 */
export function mockCloudNativeApi(
  options: {
    report?: ExampleName | CloudNativeReport;
    history?: ReportHistoryItem[];
  } = {},
): jest.Mocked<CloudNativeApi> {
  const api = {
    getReport: jest.fn(),
    getHistory: jest.fn(),
    revalidate: jest.fn(),
  };
  const { report, history } = options;
  if (report) {
    api.getReport.mockResolvedValue(
      reportResponse(
        typeof report === 'string' ? loadExampleReport(report) : report,
      ),
    );
  }
  if (history) {
    api.getHistory.mockResolvedValue({ items: history });
  }
  return api;
}
