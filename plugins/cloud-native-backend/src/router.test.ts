import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';

describe('createRouter', () => {
  let app: express.Express;

  beforeEach(async () => {
    const router = await createRouter({ httpAuth: mockServices.httpAuth() });
    app = express();
    app.use(router);
    app.use(mockErrorHandler());
  });

  it('answers /health for signed-in users', async () => {
    const response = await request(app).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('refuses unauthenticated requests', async () => {
    const response = await request(app)
      .get('/health')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });
});
