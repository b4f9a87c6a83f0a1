import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { loadExampleReport } from '../../__testUtils__/fixtures';
import { ToolChecks, ValidationAreas } from './ValidationSummary';

describe('ValidationAreas', () => {
  it('shows pass / fail / n/a for the five areas of a real report', async () => {
    const report = loadExampleReport('events-serverless-aws');
    renderInTestApp(<ValidationAreas results={report.validation_results} />);

    const result = (area: string) =>
      within(screen.getByTestId(`area-${area}`)).getAllByRole('cell')[1];
    await screen.findByText('Container build');
    expect(result('container_build')).toHaveTextContent('n/a');
    expect(result('kubernetes_manifests')).toHaveTextContent('n/a');
    expect(result('helm_chart')).toHaveTextContent('n/a');
    expect(result('service_mesh')).toHaveTextContent('n/a');
    expect(result('serverless')).toHaveTextContent('pass');
    expect(
      within(result('serverless')).getByTestId('status-ok'),
    ).toBeInTheDocument();
  });

  it('marks failed areas and treats a missing serverless key as n/a', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    const results = {
      ...report.validation_results,
      helm_chart: 'fail' as const,
    };
    delete results.serverless;
    renderInTestApp(<ValidationAreas results={results} />);

    const helm = await screen.findByTestId('area-helm_chart');
    expect(within(helm).getByText('fail')).toBeInTheDocument();
    expect(within(helm).getByTestId('status-error')).toBeInTheDocument();
    expect(screen.getByTestId('area-serverless')).toHaveTextContent('n/a');
    expect(screen.getByTestId('area-kubernetes_manifests')).toHaveTextContent(
      'pass',
    );
  });
});

describe('ToolChecks', () => {
  it('lists the tool checks of a real report', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<ToolChecks checks={report.tool_checks} />);

    const table = await screen.findByRole('table', { name: 'Tool checks' });
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 16);
    expect(
      within(table).getByText('helm lint --strict (values-prod.yaml)'),
    ).toBeInTheDocument();
    expect(within(table).getAllByTestId('status-ok')).toHaveLength(16);
  });

  it('shows failed and skipped checks with their reason', async () => {
    renderInTestApp(
      <ToolChecks
        checks={[
          {
            area: 'helm_chart',
            check: 'helm lint --strict (values-prod.yaml)',
            status: 'fail',
            reason: 'replicaCount: Invalid type. Expected: integer',
          },
          {
            area: 'kustomize',
            check: 'kubectl kustomize kubernetes/prod',
            status: 'skipped',
            reason: 'kubectl not found on the backend host',
          },
        ]}
      />,
    );

    const rows = within(
      await screen.findByRole('table', { name: 'Tool checks' }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('fail');
    expect(rows[1]).toHaveTextContent(
      'replicaCount: Invalid type. Expected: integer',
    );
    expect(within(rows[1]).getByTestId('status-error')).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('skipped');
    expect(rows[2]).toHaveTextContent('kubectl not found on the backend host');
    expect(within(rows[2]).getByTestId('status-pending')).toBeInTheDocument();
  });

  it('explains an empty list', async () => {
    renderInTestApp(<ToolChecks checks={[]} />);
    expect(
      await screen.findByText(/No tool checks were recorded/),
    ).toBeInTheDocument();
  });
});
