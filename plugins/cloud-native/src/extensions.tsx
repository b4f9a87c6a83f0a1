import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { CloudNativeClient } from './api/CloudNativeClient';
import { cloudNativeApiRef } from './api/types';
import { cloudNativeEntityPredicate } from './lib/conditions';

/**
 * The client of the cloud-native backend.
 *
 * @alpha
 */
export const cloudNativeApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: cloudNativeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudNativeClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The "Deployment" tab of entities that carry the report annotation.
 *
 * @alpha
 */
export const cloudNativeEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'cloud-native',
    title: 'Deployment',
    group: 'deployment',
    filter: cloudNativeEntityPredicate,
    loader: () =>
      import('./components/EntityCloudNativeContent').then(m => (
        <m.EntityCloudNativeContent />
      )),
  },
});

/**
 * The deployment summary card of the overview tab.
 *
 * @alpha
 */
export const cloudNativeEntityCard = EntityCardBlueprint.make({
  params: {
    filter: cloudNativeEntityPredicate,
    loader: () =>
      import('./components/EntityCloudNativeCard').then(m => (
        <m.EntityCloudNativeCard />
      )),
  },
});
