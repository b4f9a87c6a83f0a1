import { ResponseError } from '@backstage/errors';
import { CloudNativeClient } from './CloudNativeClient';

/** The parts of a fetch Response the client and ResponseError read. */
function jsonResponse(status: number, body: unknown, statusText = '') {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url: 'http://localhost:7007/api/cloud-native',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    json: async () => body,
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}

describe('CloudNativeClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async (pluginId: string) => {
      return `http://localhost:7007/api/${pluginId}`;
    }),
  };
  const fetch = jest.fn();
  const client = new CloudNativeClient({ discoveryApi, fetchApi: { fetch } });

  beforeEach(() => {
    jest.clearAllMocks();
  });

  it('gets the report of an entity from the discovered base URL', async () => {
    const body = {
      entityRef: 'component:default/shop',
      location:
        'url:https://github.com/acme/shop/blob/main/deployment-report.yaml',
      fetchedAt: '2026-11-02T10:00:00.000Z',
      report: { metadata: { name: 'shop' } },
    };
    fetch.mockResolvedValue(jsonResponse(200, body));

    await expect(client.getReport('component:default/shop')).resolves.toEqual(
      body,
    );
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('cloud-native');
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/cloud-native/entities/default/component/shop/report',
      { method: 'GET' },
    );
  });

  it('gets the history and accepts a compound entity ref', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [] }));

    await expect(
      client.getHistory({
        kind: 'Component',
        namespace: 'team-a',
        name: 'shop',
      }),
    ).resolves.toEqual({ items: [] });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/cloud-native/entities/team-a/Component/shop/history',
      { method: 'GET' },
    );
  });

  it('revalidates with a POST', async () => {
    const body = { validationStatus: 'pass', drift: { costDelta: 0 } };
    fetch.mockResolvedValue(jsonResponse(200, body));

    await expect(client.revalidate('component:default/shop')).resolves.toEqual(
      body,
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/cloud-native/entities/default/component/shop/revalidate',
      { method: 'POST' },
    );
  });

  it('encodes each part of the entity ref', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [] }));

    await client.getHistory('component:my ns/a#b?c');
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/cloud-native/entities/my%20ns/component/a%23b%3Fc/history',
      { method: 'GET' },
    );
  });

  it('throws a ResponseError carrying the status and the server message', async () => {
    fetch.mockResolvedValue(
      jsonResponse(
        422,
        {
          error: {
            name: 'InputError',
            message: 'estimated_costs.monthly: Expected number',
          },
          request: {
            method: 'GET',
            url: '/entities/default/component/shop/report',
          },
          response: { statusCode: 422 },
        },
        'Unprocessable Entity',
      ),
    );

    const error = await client
      .getReport('component:default/shop')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({
      statusCode: 422,
      message: 'Request failed with 422 Unprocessable Entity',
      cause: expect.objectContaining({
        name: 'InputError',
        message: 'estimated_costs.monthly: Expected number',
      }),
    });
  });

  it('throws a ResponseError for a 403 on revalidation', async () => {
    fetch.mockResolvedValue(
      jsonResponse(
        403,
        {
          error: { name: 'NotAllowedError', message: 'not allowed' },
          response: { statusCode: 403 },
        },
        'Forbidden',
      ),
    );

    await expect(
      client.revalidate('component:default/shop'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});
