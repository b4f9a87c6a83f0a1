import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { CloudNativeApi, cloudNativeApiRef } from '../api/types';

/** Renders an element in a test app with the entity and the mocked client. */
export function renderForEntity(
  element: ReactElement,
  options: { entity: Entity; api: Partial<CloudNativeApi> },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[cloudNativeApiRef, options.api]]}>
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The error names the backend answers each status with. */
const ERRORS: Record<number, { statusText: string; name: string }> = {
  403: { statusText: 'Forbidden', name: 'NotAllowedError' },
  404: { statusText: 'Not Found', name: 'NotFoundError' },
  422: { statusText: 'Unprocessable Entity', name: 'InputError' },
};

/** A `ResponseError` as the client throws it for a Backstage error body. */
export async function responseError(
  status: number,
  message: string,
  as: { statusText: string; name: string } = ERRORS[status],
): Promise<ResponseError> {
  const { statusText, name } = as;
  const body = JSON.stringify({
    error: { name, message },
    request: { method: 'GET', url: '/api/cloud-native/entities' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    status,
    statusText,
    ok: false,
    url: 'http://localhost/api/cloud-native/entities',
    headers: {
      get: (header: string) =>
        header.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    text: async () => body,
  } as unknown as Response);
}
