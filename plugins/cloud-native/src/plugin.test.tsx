import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  entityWithoutReport,
  entityWithReport,
  mockCloudNativeApi,
} from './__testUtils__/fixtures';
import { renderForEntity } from './__testUtils__/render';
import alphaPlugin, {
  cloudNativeApi,
  cloudNativeEntityCard,
  cloudNativeEntityContent,
} from './alpha';
import {
  renderInTestApp as renderInLegacyTestApp,
  TestApiProvider as LegacyTestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { CloudNativeClient } from './api/CloudNativeClient';
import { cloudNativeApiRef } from './api/types';
import { getComponentData } from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';
import {
  cloudNativePlugin,
  EntityCloudNativeCard,
  EntityCloudNativeContent,
} from './index';

describe('legacy frontend system', () => {
  it('exports the plugin with the client API and the extensions', () => {
    expect(cloudNativePlugin.getId()).toBe('cloud-native');
    const apis = [...cloudNativePlugin.getApis()];
    expect(apis.map(api => api.api.id)).toEqual([
      'plugin.cloud-native.service',
    ]);
    expect(EntityCloudNativeContent).toBeDefined();
    expect(EntityCloudNativeCard).toBeDefined();
  });

  it('mounts the content on the plugin route', () => {
    expect(
      getComponentData(<EntityCloudNativeContent />, 'core.mountPoint'),
    ).toBe(rootRouteRef);
  });

  it('renders the card in a legacy app', async () => {
    const api = mockCloudNativeApi({ report: 'events-serverless-aws' });
    await renderInLegacyTestApp(
      <LegacyTestApiProvider apis={[[cloudNativeApiRef, api]]}>
        <EntityProvider entity={entityWithReport()}>
          <EntityCloudNativeCard />
        </EntityProvider>
      </LegacyTestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('Tier T2')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View the deployment report/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/marketplace/cloud-native',
    );
  });
});

describe('new frontend system', () => {
  it('is one plugin with the same id as the legacy one', () => {
    expect(alphaPlugin.id).toBe('cloud-native');
  });

  it('provides the client through an API extension', () => {
    const factory = createExtensionTester(cloudNativeApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe('plugin.cloud-native.service');
    const client = factory.factory({
      discoveryApi: { getBaseUrl: jest.fn() },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(CloudNativeClient);
  });

  it('mounts the "Deployment" tab at cloud-native for entities with the annotation', () => {
    const tester = createExtensionTester(cloudNativeEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('cloud-native');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployment',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(
      'deployment',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityWithReport())).toBe(true);
    expect(filter(entityWithoutReport)).toBe(false);
  });

  it('lets app-config move the tab', () => {
    const tester = createExtensionTester(cloudNativeEntityContent, {
      config: { path: 'deployment', title: 'Cloud native' },
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('deployment');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Cloud native',
    );
  });

  it('shows the overview card only for entities with the annotation', () => {
    const filter = createExtensionTester(cloudNativeEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(entityWithReport())).toBe(true);
    expect(filter(entityWithoutReport)).toBe(false);
  });

  it('loads the tab content through the extension', async () => {
    const api = mockCloudNativeApi({ report: 'events-serverless-aws' });
    api.getHistory.mockResolvedValue({ items: [] });
    const element = createExtensionTester(
      cloudNativeEntityContent,
    ).reactElement();
    renderForEntity(element, { entity: entityWithReport(), api });

    expect(
      await screen.findByText('Deployment strategy: media-pipeline'),
    ).toBeInTheDocument();
  });

  it('loads the card through the extension', async () => {
    const api = mockCloudNativeApi({ report: 'events-serverless-aws' });
    const element = createExtensionTester(cloudNativeEntityCard).reactElement();
    renderForEntity(element, { entity: entityWithReport(), api });

    expect(await screen.findByText('Tier T2')).toBeInTheDocument();
  });
});
