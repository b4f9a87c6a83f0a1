import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { loadExampleReport } from '../../__testUtils__/fixtures';
import { CostSection } from './CostSection';

describe('CostSection', () => {
  it('shows the expected monthly cost, its range and the pricing date', async () => {
    const costs = loadExampleReport('marketplace-gke-t3').estimated_costs;
    renderInTestApp(<CostSection costs={costs} />);

    expect(await screen.findByLabelText('Monthly cost')).toHaveTextContent(
      '$1,316.71 a month',
    );
    expect(screen.getByLabelText('Cost range')).toHaveTextContent(
      'range $917.24 – $2,165.55',
    );
    expect(
      screen.getByText('List prices of 2026-11-01, USD'),
    ).toBeInTheDocument();
    expect(screen.getByText('staging: $552.89')).toBeInTheDocument();
    expect(screen.getByText('prod: $763.82')).toBeInTheDocument();
  });

  it('charts the cost by category and by service, largest first', async () => {
    const costs = loadExampleReport('marketplace-gke-t3').estimated_costs;
    renderInTestApp(<CostSection costs={costs} />);

    const byCategory = await screen.findByRole('img', {
      name: 'Monthly cost by category',
    });
    const bars = within(byCategory).getAllByTestId(/^bar-/);
    expect(bars.map(bar => bar.dataset.testid)).toEqual([
      'bar-compute',
      'bar-control-plane',
      'bar-networking',
      'bar-storage',
    ]);
    const width = (bar: HTMLElement) =>
      Number(bar.querySelector('rect')!.getAttribute('width'));
    // Bars are proportional: compute is 1076.02, storage 22
    expect(width(bars[3]) / width(bars[0])).toBeCloseTo(22 / 1076.02, 3);
    expect(within(bars[0]).getByText('$1,076.02')).toBeInTheDocument();

    const byService = screen.getByRole('img', {
      name: 'Monthly cost by service',
    });
    const services = within(byService).getAllByTestId(/^bar-/);
    expect(services).toHaveLength(9);
    // the shared lines (265.65) cost more than any one service (catalog 223.59)
    expect(services.slice(0, 2).map(bar => bar.dataset.testid)).toEqual([
      'bar-(shared)',
      'bar-catalog',
    ]);
    expect(within(byService).getByTestId('bar-(shared)')).toHaveTextContent(
      '$265.65',
    );
  });

  it('lists the priced lines with resource, environment, quantity, unit and monthly cost', async () => {
    const costs = loadExampleReport('marketplace-gke-t3').estimated_costs;
    renderInTestApp(<CostSection costs={costs} />);

    expect(await screen.findByText('Priced lines (16)')).toBeInTheDocument();
    const row = screen
      .getAllByRole('row')
      .find(r =>
        within(r).queryByText(/^e2-standard-2 nodes \(GKE, 13 × 730 h\)/),
      )!;
    expect(row).toHaveTextContent('prod');
    expect(row).toHaveTextContent('9,490');
    expect(row).toHaveTextContent('node-hour');
    expect(row).toHaveTextContent('$635.83');
    expect(
      within(row).getByRole('link', { name: /e2-standard-2 nodes/ }),
    ).toHaveAttribute(
      'href',
      'https://cloud.google.com/compute/vm-instance-pricing',
    );
  });

  it('lists the assumptions and keeps the method collapsed until asked', async () => {
    const costs = loadExampleReport('marketplace-gke-t3').estimated_costs;
    renderInTestApp(<CostSection costs={costs} />);

    const assumptions = await screen.findByRole('list', {
      name: 'Assumptions',
    });
    expect(within(assumptions).getAllByRole('listitem')).toHaveLength(6);
    expect(assumptions).toHaveTextContent(
      "One cluster per environment; the tier's minimum node count (3 at T3) applies to every environment.",
    );

    const methodText = /^Not priced: node boot disks/;
    expect(screen.getByText(methodText)).not.toBeVisible();
    fireEvent.click(screen.getByText('How the estimate is made'));
    expect(screen.getByText(methodText)).toBeVisible();
  });

  it('handles a report without an estimate or breakdowns', async () => {
    const costs = loadExampleReport('events-serverless-aws').estimated_costs;
    renderInTestApp(
      <CostSection
        costs={{
          currency: costs.currency,
          monthly: null,
          method: costs.method,
        }}
      />,
    );

    expect(
      await screen.findByText(
        'No monthly estimate: the engine could not price this package.',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Not broken down.')).toHaveLength(2);
    expect(screen.queryByText(/Priced lines/)).not.toBeInTheDocument();
    expect(screen.getByText('USD')).toBeInTheDocument();
  });
});
