import {
  CostLine,
  DeploymentReport,
  parseDeploymentReport,
  REPORT_API_VERSION,
  ToolCheck,
} from './schema';

/**
 * A report written against the types, every optional block included: the
 * schema must accept it as it is (nothing dropped, nothing defaulted). A key
 * the types require that the schema does not (or the other way round) fails
 * here or in the type check.
 */
const toolCheck: ToolCheck = {
  area: 'helm_chart',
  check: 'helm lint --strict (values-prod.yaml)',
  status: 'skipped',
  reason: 'helm not found',
};

const costLine: CostLine = {
  resource: 'EKS control plane',
  category: 'control-plane',
  environment: 'prod',
  monthlyQuantity: 730,
  unit: 'hour',
  unitPrice: 0.1,
  monthlyCost: 73,
  source: 'https://aws.amazon.com/eks/pricing/',
};

const report: DeploymentReport = {
  apiVersion: REPORT_API_VERSION,
  kind: 'DeploymentReport',
  metadata: { name: 'shop', engineVersion: '0.1.0', specDigest: 'abc' },
  deployment_strategy: {
    platform: 'kubernetes',
    cloud: 'aws',
    region: 'us-east-1',
    tier: 'T2',
    environments: ['prod'],
    mesh: 'none',
    packaging: 'helm',
    rationale: [{ ruleId: 'PLAT-010', rationale: 'long-running services' }],
    services: [
      {
        name: 'api',
        workload: 'service',
        runtime: 'kubernetes',
        objectKind: 'Deployment',
        strategy: 'rolling',
        image: 'registry.example.com/api:1.0.0',
        rationale: [{ ruleId: 'WL-001', rationale: 'a stateless service' }],
      },
    ],
    questions: [],
    complexity: { level: 'low', score: 2, why: 'one service' },
  },
  skills_invoked: [
    {
      skill: 'kubernetes-manifest-generator',
      reason: 'kubernetes platform',
      ruleIds: ['PLAT-010'],
      files: ['kubernetes/base/api.yaml'],
    },
  ],
  deployment_package: {
    root: '.',
    files: [{ path: 'kubernetes/base/api.yaml', bytes: 10, sha256: 'def' }],
  },
  deployment_guide: {
    prerequisites: [],
    steps: [],
    validation: [],
    rollback: [],
  },
  recommendations: [{ category: 'cost', text: 'Use arm64', motivatedBy: 'x' }],
  estimated_costs: {
    currency: 'USD',
    monthly: 73,
    low: 73,
    high: 73,
    method: 'list prices',
    pricingDate: '2026-11-01',
    assumptions: ['one cluster'],
    byCategory: { 'control-plane': 73 },
    byService: { '(shared)': 73 },
    byEnvironment: { prod: 73 },
    lines: [costLine],
  },
  tool_checks: [toolCheck],
  validation_results: {
    container_build: 'n/a',
    kubernetes_manifests: 'pass',
    helm_chart: 'pass',
    service_mesh: 'n/a',
    serverless: 'n/a',
  },
  trace: [
    {
      skill: 'kubernetes-manifest-generator',
      tier: 'T2',
      files: 1,
      findings: 0,
      status: 'ok',
      notes: [],
    },
  ],
  findings: [
    {
      ruleId: 'policy/pdb-present',
      severity: 'warning',
      file: 'kubernetes/base/api.yaml',
      message: 'no PodDisruptionBudget',
      anchors: [],
    },
  ],
};

describe('deploymentReportSchema', () => {
  it('accepts a report built with the types, unchanged', () => {
    expect(parseDeploymentReport(report)).toEqual({ ok: true, report });
  });

  it.each([
    'metadata',
    'deployment_strategy',
    'estimated_costs',
    'validation_results',
    'trace',
    'findings',
  ] as const)('requires %s', key => {
    const { [key]: _removed, ...rest } = report;
    expect(parseDeploymentReport(rest)).toMatchObject({
      ok: false,
      issues: [{ path: key }],
    });
  });

  it('checks the tool checks and cost lines it reads', () => {
    expect(
      parseDeploymentReport({
        ...report,
        tool_checks: [{ ...toolCheck, area: 'terraform' }],
      }),
    ).toMatchObject({ ok: false, issues: [{ path: 'tool_checks[0].area' }] });
    expect(
      parseDeploymentReport({
        ...report,
        estimated_costs: {
          ...report.estimated_costs,
          lines: [{ ...costLine, monthlyCost: '73' }],
        },
      }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'estimated_costs.lines[0].monthlyCost' }],
    });
  });

  it('keeps the keys of a newer engine it does not know', () => {
    const newer = {
      ...report,
      tool_checks: [{ ...toolCheck, durationMs: 12 }],
      rollout: { waves: 2 },
    };
    expect(parseDeploymentReport(newer)).toEqual({ ok: true, report: newer });
  });
});
