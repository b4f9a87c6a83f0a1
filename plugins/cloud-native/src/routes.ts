import { createRouteRef } from '@backstage/core-plugin-api';

/** Mount point of the deployment tab in the legacy frontend system. */
export const rootRouteRef = createRouteRef({ id: 'cloud-native' });
