import { screen } from '@testing-library/react';
import {
  entityWithoutReport,
  entityWithReport,
  loadExampleReport,
  mockCloudNativeApi,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { EntityCloudNativeCard } from './EntityCloudNativeCard';

describe('EntityCloudNativeCard', () => {
  const entity = entityWithReport();

  const expectTabLink = (href: string) =>
    expect(
      screen.getByRole('link', { name: /View the deployment report/ }),
    ).toHaveAttribute('href', href);

  it('summarizes tier, validation status and monthly cost with a link to the tab', async () => {
    const api = mockCloudNativeApi({ report: 'marketplace-gke-t3' });
    renderForEntity(<EntityCloudNativeCard />, { entity, api });

    expect(await screen.findByText('Tier T3')).toBeInTheDocument();
    expect(
      screen.getByText('kubernetes on gcp (europe-west1), helm'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Validation:/)).toHaveTextContent(
      'Validation: pass (0 errors, 4 warnings)',
    );
    expect(screen.getByText(/^Monthly cost:/)).toHaveTextContent(
      'Monthly cost: $1,316.71 (range $917.24 – $2,165.55)',
    );
    expectTabLink('/catalog/default/component/marketplace/cloud-native');
  });

  it('shows a failed validation', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    report.validation_results.kubernetes_manifests = 'fail';
    const api = mockCloudNativeApi({ report });
    renderForEntity(<EntityCloudNativeCard />, { entity, api });

    expect(await screen.findByText(/^Validation:/)).toHaveTextContent(
      'Validation: fail',
    );
    expect(screen.getByTestId('status-error')).toBeInTheDocument();
  });

  it('links to a tab mounted elsewhere', async () => {
    const api = mockCloudNativeApi({ report: 'events-serverless-aws' });
    renderForEntity(<EntityCloudNativeCard tabPath="/deployment" />, {
      entity,
      api,
    });

    expect(await screen.findByText('Tier T2')).toBeInTheDocument();
    expectTabLink('/catalog/default/component/marketplace/deployment');
  });

  it('shows an invalid report (422)', async () => {
    const api = mockCloudNativeApi();
    api.getReport.mockRejectedValue(
      await responseError(422, 'trace[0].tier: Invalid enum value'),
    );
    renderForEntity(<EntityCloudNativeCard />, { entity, api });

    expect(
      await screen.findByText(
        /the deployment report is invalid: trace\[0\]\.tier: Invalid enum value/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for the annotation when the entity has none', async () => {
    const api = mockCloudNativeApi();
    renderForEntity(<EntityCloudNativeCard />, {
      entity: entityWithoutReport,
      api,
    });

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(api.getReport).not.toHaveBeenCalled();
  });
});
