import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { cloudNativePermissions } from '@internal/backstage-plugin-cloud-native-common';
import request from 'supertest';
import { cloudNativePlugin } from './plugin';

describe('cloudNativePlugin', () => {
  it('registers its permissions and mounts its router under /api/cloud-native', async () => {
    const permissionsRegistry = mockServices.permissionsRegistry.mock();
    const { server } = await startTestBackend({
      features: [
        cloudNativePlugin,
        catalogServiceMock.factory({ entities: [] }),
        permissionsRegistry.factory,
      ],
    });

    expect(permissionsRegistry.addPermissions).toHaveBeenCalledWith(
      cloudNativePermissions,
    );
    await request(server)
      .get('/api/cloud-native/health')
      .expect(200, { status: 'ok' });
    const response = await request(server).get(
      '/api/cloud-native/entities/default/component/nothing/report',
    );
    expect(response.status).toBe(404);
    expect(response.body.error.name).toBe('NotFoundError');
  });
});
