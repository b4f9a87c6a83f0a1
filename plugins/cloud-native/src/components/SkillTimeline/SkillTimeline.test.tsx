import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { loadExampleReport } from '../../__testUtils__/fixtures';
import { SkillTimeline } from './SkillTimeline';

/** The skill's row shows the status icon and its label. */
function expectStatus(item: HTMLElement, icon: string, label: string) {
  expect(within(item).getByTestId(icon)).toBeInTheDocument();
  expect(within(item).getByText(label)).toBeInTheDocument();
}

describe('SkillTimeline', () => {
  it('shows every skill of the real trace in order, with files and findings', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<SkillTimeline report={report} />);

    expect(await screen.findByText('6 skills ran')).toBeInTheDocument();
    const items = screen.getAllByTestId(/^skill-/);
    expect(items.map(item => item.dataset.testid)).toEqual([
      'skill-container-image-optimizer',
      'skill-kubernetes-manifest-generator',
      'skill-kubernetes-helm-builder',
      'skill-kubernetes-servicemesh-configurator',
      'skill-cloud-kubernetes-integrator',
      'skill-gitops-generator',
    ]);

    const manifests = screen.getByTestId('skill-kubernetes-manifest-generator');
    expect(
      within(manifests).getByText('24 files · 4 findings'),
    ).toBeInTheDocument();
    // The reason the planner chose the skill, from skills_invoked
    expect(
      within(manifests).getByText('8 Kubernetes workload(s)'),
    ).toBeInTheDocument();
    // Findings turn an ok skill into a warning
    expect(within(manifests).getByTestId('status-warning')).toBeInTheDocument();
    const helm = screen.getByTestId('skill-kubernetes-helm-builder');
    expectStatus(helm, 'status-ok', 'ok');
  });

  it('shows "—" for durations that were not recorded', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<SkillTimeline report={report} />);

    await screen.findByText('6 skills ran');
    expect(screen.getAllByText('—')).toHaveLength(6);
  });

  it('shows recorded durations, failed and skipped skills', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    report.trace = [
      { ...report.trace[0], startMs: 0, durationMs: 850 },
      { ...report.trace[1], startMs: 850, durationMs: 2500, status: 'failed' },
      {
        ...report.trace[2],
        startMs: 3350,
        durationMs: 0,
        status: 'skipped',
        findings: 0,
      },
    ];
    renderInTestApp(<SkillTimeline report={report} />);

    const first = await screen.findByTestId('skill-container-image-optimizer');
    expect(within(first).getByText('850 ms')).toBeInTheDocument();
    const failed = screen.getByTestId('skill-kubernetes-manifest-generator');
    expect(within(failed).getByText('2.5 s')).toBeInTheDocument();
    expectStatus(failed, 'status-error', 'failed');
    const skipped = screen.getByTestId('skill-kubernetes-helm-builder');
    expectStatus(skipped, 'status-pending', 'skipped');
  });

  it('expands the notes of a skill on demand', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(<SkillTimeline report={report} />);

    const note =
      'helm/marketplace: one chart, 2 environment(s): values-staging.yaml, values-prod.yaml over values.yaml (prod profile)';
    const toggle = await screen.findByRole('button', {
      name: 'Show the notes of kubernetes-helm-builder',
    });
    expect(toggle).toHaveTextContent('Show 3 notes');
    expect(screen.queryByText(note)).not.toBeInTheDocument();

    fireEvent.click(toggle);
    expect(await screen.findByText(note)).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Hide the notes of kubernetes-helm-builder',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('says so when the report has no trace', async () => {
    const report = loadExampleReport('events-serverless-aws');
    report.trace = [];
    renderInTestApp(<SkillTimeline report={report} />);

    expect(
      await screen.findByText('The report has no trace.'),
    ).toBeInTheDocument();
  });
});
