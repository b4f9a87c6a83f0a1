import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { cloudNativePlugin } from './plugin';

describe('cloudNativePlugin', () => {
  it('mounts its router under /api/cloud-native', async () => {
    const { server } = await startTestBackend({
      features: [cloudNativePlugin],
    });
    await request(server)
      .get('/api/cloud-native/health')
      .expect(200, { status: 'ok' });
  });
});
