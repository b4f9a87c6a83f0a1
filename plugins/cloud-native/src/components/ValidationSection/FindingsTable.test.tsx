import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityWithReport,
  loadExampleReport,
} from '../../__testUtils__/fixtures';
import { createPackageFileResolver } from '../../lib/fileLinks';
import { FindingsTable } from './FindingsTable';

function bodyRows() {
  // The first row of the table is its header
  return within(screen.getByRole('table')).getAllByRole('row').slice(1);
}

describe('FindingsTable', () => {
  const report = loadExampleReport('marketplace-gke-t3');

  it('shows every finding with severity, rule, anchors, file, object path and message', async () => {
    renderInTestApp(
      <FindingsTable
        findings={report.findings}
        resolveFile={createPackageFileResolver(entityWithReport())}
      />,
    );

    expect(await screen.findByText('Findings (7 of 7)')).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(7);
    const first = bodyRows()[0];
    expect(first).toHaveTextContent('warning');
    expect(first).toHaveTextContent('policy/liveness-probe');
    // the anchor rule ids the policy rule corresponds to
    for (const anchor of [
      'kube-linter:no-liveness-probe',
      'polaris:livenessProbeMissing',
    ]) {
      expect(within(first).getByText(anchor)).toBeInTheDocument();
    }
    expect(first).toHaveTextContent(
      'DaemonSet/log-agent: spec.template.spec.containers[0].livenessProbe',
    );
    expect(
      within(first).getByRole('link', {
        name: /^kubernetes\/prod\/log-agent\.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/marketplace/tree/main/deployment/kubernetes/prod/log-agent.yaml',
    );
  });

  it('filters by severity', async () => {
    renderInTestApp(<FindingsTable findings={report.findings} />);

    await screen.findByText('Findings (7 of 7)');
    fireEvent.click(screen.getByRole('button', { name: 'warning (4)' }));

    await screen.findByText('Findings (3 of 7)');
    expect(bodyRows()).toHaveLength(3);
    for (const row of bodyRows()) {
      expect(row).toHaveTextContent(/dockerfile\/DL\d+/);
      expect(row).toHaveTextContent('info');
      expect(row).toHaveTextContent('hadolint:');
    }

    fireEvent.click(screen.getByRole('button', { name: 'info (3)' }));
    expect(
      await screen.findByText('No finding matches the filters.'),
    ).toBeInTheDocument();
  });

  it('searches across rule ids, anchors and messages', async () => {
    renderInTestApp(<FindingsTable findings={report.findings} />);

    await screen.findByText('Findings (7 of 7)');
    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'no-liveness-probe' },
    });

    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    for (const row of bodyRows()) {
      expect(row).toHaveTextContent('policy/liveness-probe');
    }
  });

  it('sorts errors first', async () => {
    const findings = [
      ...report.findings,
      {
        ruleId: 'policy/run-as-non-root',
        severity: 'error' as const,
        file: 'kubernetes/prod/cart.yaml',
        objectPath: 'Deployment/cart: spec.template.spec.securityContext',
        message: 'runs as root',
        anchors: ['kube-score:container-security-context-user-group-id'],
      },
    ];
    renderInTestApp(<FindingsTable findings={findings} />);

    await screen.findByText('Findings (8 of 8)');
    expect(bodyRows()[0]).toHaveTextContent('policy/run-as-non-root');
    expect(
      within(bodyRows()[0]).getByTestId('status-error'),
    ).toBeInTheDocument();
  });

  it('says so when there are no findings', async () => {
    renderInTestApp(<FindingsTable findings={[]} />);
    expect(
      await screen.findByText('No findings: every policy check passed.'),
    ).toBeInTheDocument();
  });
});
