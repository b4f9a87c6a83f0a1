import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { cloudNativeApiRef } from '../api/types';

/** Loads the entity's deployment report; `retry` loads it again. */
export function useCloudNativeReport(entity: Entity) {
  const api = useApi(cloudNativeApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsyncRetry(() => api.getReport(entityRef), [api, entityRef]);
}
