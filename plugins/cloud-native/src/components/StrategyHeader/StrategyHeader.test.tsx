import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { loadExampleReport } from '../../__testUtils__/fixtures';
import { StrategyHeader } from './StrategyHeader';

describe('StrategyHeader', () => {
  it('shows tier, platform, cloud and region, environments, mesh, packaging and complexity', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(
      <StrategyHeader
        report={report}
        location="url:https://github.com/acme/marketplace/tree/main/deployment/deployment-report.yaml"
        fetchedAt="2026-11-02T10:00:00.000Z"
      />,
    );

    expect(
      await screen.findByText('Deployment strategy: marketplace'),
    ).toBeInTheDocument();
    expect(screen.getByText('Tier: T3')).toBeInTheDocument();
    expect(screen.getByText('Platform: kubernetes')).toBeInTheDocument();
    expect(screen.getByText('Cloud: gcp · europe-west1')).toBeInTheDocument();
    expect(screen.getByText('Environments: staging, prod')).toBeInTheDocument();
    expect(screen.getByText('Mesh: istio')).toBeInTheDocument();
    expect(screen.getByText('Packaging: helm')).toBeInTheDocument();
    expect(screen.getByText('Complexity: high (score 19)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /deployment\/deployment-report\.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/marketplace/tree/main/deployment/deployment-report.yaml',
    );
  });

  it('lists the strategy of every service', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<StrategyHeader report={report} />);

    const table = await screen.findByRole('table', {
      name: 'Services and their rollout strategy',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(1 + 8);
    const gateway = rows.find(row => within(row).queryByText('gateway'))!;
    expect(within(gateway).getByText('canary')).toBeInTheDocument();
    expect(within(gateway).getByText('Rollout')).toBeInTheDocument();
    const recommendations = rows.find(row =>
      within(row).queryByText('recommendations'),
    )!;
    expect(within(recommendations).getByText('ab-testing')).toBeInTheDocument();
  });

  it('explains the decisions on demand', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<StrategyHeader report={report} />);

    fireEvent.click(
      await screen.findByText('Why this strategy (12 decisions)'),
    );
    expect(screen.getByText('PLAT-012')).toBeVisible();
  });

  it('renders a serverless report with a single environment and no mesh', async () => {
    const report = loadExampleReport('events-serverless-aws');
    renderInTestApp(<StrategyHeader report={report} />);

    expect(await screen.findByText('Platform: serverless')).toBeInTheDocument();
    expect(screen.getByText('Cloud: aws · us-east-1')).toBeInTheDocument();
    expect(screen.getByText('Environments: prod')).toBeInTheDocument();
    expect(screen.getByText('Mesh: none')).toBeInTheDocument();
    expect(screen.getAllByText('none').length).toBeGreaterThanOrEqual(4);
  });
});
