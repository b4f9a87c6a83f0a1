import { fireEvent, screen, within } from '@testing-library/react';
import {
  entityWithReport,
  loadExampleReport,
  mockCloudNativeApi,
  revalidationResponse,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { CloudNativeReport } from '../../api/types';
import { ValidationSection } from './ValidationSection';
import { NO_DRIFT } from '@internal/backstage-plugin-cloud-native-common';

describe('ValidationSection', () => {
  const entity = entityWithReport();

  /** Renders the section and clicks Revalidate; the callback it was given. */
  async function revalidate(
    report: CloudNativeReport,
    api: ReturnType<typeof mockCloudNativeApi>,
  ) {
    const onRevalidated = jest.fn();
    renderForEntity(
      <ValidationSection
        entity={entity}
        report={report}
        onRevalidated={onRevalidated}
      />,
      { entity, api },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Revalidate' }));
    return onRevalidated;
  }

  it('shows the recorded results: overall status, areas, tool checks and findings', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderForEntity(<ValidationSection entity={entity} report={report} />, {
      entity,
      api: mockCloudNativeApi(),
    });

    expect(
      await screen.findByText('Results recorded in the report'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Overall:/)).toHaveTextContent('Overall: pass');
    expect(
      screen.getByText('0 errors, 4 warnings, 3 info'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('area-helm_chart')).toHaveTextContent('pass');
    expect(
      screen.getByRole('table', { name: 'Tool checks' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Findings (7 of 7)')).toBeInTheDocument();
  });

  it('revalidates on demand and shows the drift and the new results', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    const api = mockCloudNativeApi();
    api.revalidate.mockResolvedValue(revalidationResponse(report));
    const onRevalidated = await revalidate(report, api);

    const drift = await screen.findByTestId('drift-panel');
    expect(api.revalidate).toHaveBeenCalledWith(
      'component:default/marketplace',
    );
    expect(onRevalidated).toHaveBeenCalledTimes(1);
    expect(drift).toHaveTextContent(
      'Revalidated 2026-11-04 12:30:00 UTC: fail',
    );
    expect(drift).toHaveTextContent(
      'The validation result changed since the report was written.',
    );
    // 1,316.71 (the report) + 40.00
    expect(drift).toHaveTextContent('Monthly cost: +$40.00 (now $1,356.71)');
    const added = within(drift).getByRole('list', { name: 'Files added' });
    expect(
      within(added).getByRole('link', {
        name: /^kubernetes\/prod\/extra\.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/marketplace/tree/main/deployment/kubernetes/prod/extra.yaml',
    );
    expect(
      within(drift).getByRole('list', { name: 'Files modified' }),
    ).toHaveTextContent('helm/marketplace/values-prod.yaml');
    expect(drift).toHaveTextContent('Files removed (0)');

    // The section now shows the revalidation's results
    expect(
      screen.getByText(
        'Results of the revalidation of 2026-11-04 12:30:00 UTC',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Overall:/)).toHaveTextContent('Overall: fail');
    expect(screen.getByTestId('area-helm_chart')).toHaveTextContent('fail');
    expect(screen.getByText('Findings (8 of 8)')).toBeInTheDocument();
    expect(screen.getByText('helm/lint')).toBeInTheDocument();
    expect(
      screen.getByText('Tool checks (as recorded in the report)'),
    ).toBeInTheDocument();
  });

  it('says when nothing drifted', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    const api = mockCloudNativeApi();
    api.revalidate.mockResolvedValue(
      revalidationResponse(report, {
        validationStatus: 'pass',
        results: report.validation_results,
        findings: report.findings,
        drift: NO_DRIFT,
      }),
    );
    renderForEntity(<ValidationSection entity={entity} report={report} />, {
      entity,
      api,
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Revalidate' }));
    expect(
      await screen.findByText(
        'No drift: the package in the repository matches the report.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a refused revalidation (403) and keeps the recorded results', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    const api = mockCloudNativeApi();
    api.revalidate.mockRejectedValue(
      await responseError(
        403,
        'cloud-native.report.revalidate is not allowed for user:default/guest',
      ),
    );
    const onRevalidated = await revalidate(report, api);
    expect(
      await screen.findByText(
        /You are not allowed to revalidate the deployment package: cloud-native\.report\.revalidate is not allowed for user:default\/guest/,
      ),
    ).toBeInTheDocument();
    expect(onRevalidated).not.toHaveBeenCalled();
    expect(screen.queryByTestId('drift-panel')).not.toBeInTheDocument();
    expect(
      screen.getByText('Results recorded in the report'),
    ).toBeInTheDocument();
  });
});
