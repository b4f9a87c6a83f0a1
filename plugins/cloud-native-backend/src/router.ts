import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
}

/** @internal */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth } = options;
  const router = Router();
  router.use(express.json());

  // Liveness of the plugin itself; authenticated like every other route.
  router.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ status: 'ok' });
  });

  return router;
}
