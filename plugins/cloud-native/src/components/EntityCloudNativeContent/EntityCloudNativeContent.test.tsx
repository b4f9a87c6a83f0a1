import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  entityWithoutReport,
  entityWithReport,
  historyItems,
  loadExampleReport,
  mockCloudNativeApi,
  reportResponse,
  revalidationResponse,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { EntityCloudNativeContent } from './EntityCloudNativeContent';

describe('EntityCloudNativeContent', () => {
  const entity = entityWithReport();

  it('asks for the annotation when the entity has none', async () => {
    const api = mockCloudNativeApi();
    renderForEntity(<EntityCloudNativeContent />, {
      entity: entityWithoutReport,
      api,
    });

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/cloud-native\.backstage\.io\/report/).length,
    ).toBeGreaterThan(0);
    expect(api.getReport).not.toHaveBeenCalled();
  });

  it('shows progress while the report loads', async () => {
    const api = mockCloudNativeApi();
    api.getReport.mockReturnValue(new Promise(() => {}));
    renderForEntity(<EntityCloudNativeContent />, { entity, api });

    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('renders every section of a real report', async () => {
    const api = mockCloudNativeApi({
      report: 'marketplace-gke-t3',
      history: historyItems,
    });
    renderForEntity(<EntityCloudNativeContent />, { entity, api });

    expect(
      await screen.findByText('Deployment strategy: marketplace'),
    ).toBeInTheDocument();
    expect(api.getReport).toHaveBeenCalledWith('component:default/marketplace');
    for (const title of [
      'Skill trace',
      'Validation',
      'Estimated cost',
      'Recommendations',
      'Deployment guide',
      'Package files (120)',
      'Report history',
    ]) {
      expect(screen.getAllByText(title).length).toBeGreaterThan(0);
    }
    expect(
      await screen.findByRole('img', {
        name: 'Monthly cost and validation status over time',
      }),
    ).toBeInTheDocument();
  });

  it.each([
    {
      status: 422,
      message:
        'deployment-report.yaml does not match the schema: estimated_costs.monthly: Expected number, received string',
      shown:
        /Could not load the deployment report: the deployment report is invalid: deployment-report\.yaml does not match the schema: estimated_costs\.monthly: Expected number, received string/,
    },
    {
      status: 404,
      message: 'no deployment-report.yaml at deployment/deployment-report.yaml',
      shown:
        /Could not load the deployment report: not found \(no deployment-report\.yaml at deployment\/deployment-report\.yaml\)/,
    },
  ])(
    'states clearly what is wrong with the report ($status)',
    async ({ status, message, shown }) => {
      const api = mockCloudNativeApi();
      api.getReport.mockRejectedValue(await responseError(status, message));
      renderForEntity(<EntityCloudNativeContent />, { entity, api });

      expect(await screen.findByText(shown)).toBeInTheDocument();
      expect(screen.queryByText('Skill trace')).not.toBeInTheDocument();
    },
  );

  it('says the user may not see the report (403) and retries on demand', async () => {
    const api = mockCloudNativeApi();
    api.getReport.mockRejectedValueOnce(
      await responseError(403, 'cloud-native.report.read is not allowed'),
    );
    renderForEntity(<EntityCloudNativeContent />, { entity, api });

    expect(
      await screen.findByText(
        /You are not allowed to load the deployment report: cloud-native\.report\.read is not allowed/,
      ),
    ).toBeInTheDocument();

    api.getReport.mockResolvedValue(
      reportResponse(loadExampleReport('events-serverless-aws')),
    );
    api.getHistory.mockResolvedValue({ items: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText('Deployment strategy: media-pipeline'),
    ).toBeInTheDocument();
  });

  it('reloads the history after a revalidation', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    const api = mockCloudNativeApi({ report, history: historyItems });
    api.revalidate.mockResolvedValue(revalidationResponse(report));
    renderForEntity(<EntityCloudNativeContent />, { entity, api });

    await screen.findByRole('img', {
      name: 'Monthly cost and validation status over time',
    });
    const calls = api.getHistory.mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Revalidate' }));

    expect(await screen.findByTestId('drift-panel')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getHistory.mock.calls.length).toBeGreaterThan(calls),
    );
  });
});
