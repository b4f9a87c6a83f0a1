import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { loadExampleReport } from '../../__testUtils__/fixtures';
import { Recommendations } from './Recommendations';

describe('Recommendations', () => {
  it('shows category, text and motivation of each recommendation', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(
      <Recommendations recommendations={report.recommendations} />,
    );

    const list = await screen.findByRole('list', { name: 'Recommendations' });
    const items = within(list).getAllByRole('listitem');
    // 3 cost recommendations, then the plan's 3 open questions as decisions
    expect(items).toHaveLength(6);
    expect(within(items[0]).getByText('cost')).toBeInTheDocument();
    expect(items[0]).toHaveTextContent(/spot \/ preemptible node pool/);
    expect(items[0]).toHaveTextContent('Motivated by cost:spot-nodes');
    expect(items[2]).toHaveTextContent('Motivated by cost:commitment-3y');
    expect(within(items[3]).getByText('decision')).toBeInTheDocument();
    expect(items[3]).toHaveTextContent(
      'Motivated by Q-STATEFUL-REPLICATION-search',
    );
  });

  it('renders a recommendation without motivation', async () => {
    renderInTestApp(
      <Recommendations
        recommendations={[{ category: 'next-steps', text: 'Add an SLO.' }]}
      />,
    );
    expect(await screen.findByText('Add an SLO.')).toBeInTheDocument();
    expect(screen.queryByText(/Motivated by/)).not.toBeInTheDocument();
  });

  it('says so when there are none', async () => {
    renderInTestApp(<Recommendations recommendations={[]} />);
    expect(await screen.findByText('No recommendations.')).toBeInTheDocument();
  });
});
