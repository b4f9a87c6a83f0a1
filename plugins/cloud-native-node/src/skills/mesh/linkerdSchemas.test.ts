import { Loose } from '../kubernetes/__fixtures__/plans';
import {
  isLinkerdObject,
  LINKERD_API_VERSIONS,
  validateLinkerdObject,
} from './linkerdSchemas';

const metadata = { name: 'api', namespace: 'shop', labels: { app: 'api' } };

/** One valid object per modelled kind. */
const VALID: Record<string, Loose> = {
  Server: {
    apiVersion: LINKERD_API_VERSIONS.Server,
    kind: 'Server',
    metadata,
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      port: 'http',
      proxyProtocol: 'HTTP/1',
    },
  },
  HTTPRoute: {
    apiVersion: LINKERD_API_VERSIONS.HTTPRoute,
    kind: 'HTTPRoute',
    metadata,
    spec: {
      parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'api' }],
      rules: [
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/' },
              headers: [{ name: 'x-variant', value: 'b' }],
              method: 'GET',
            },
          ],
          timeouts: { request: '15s', backendRequest: '5s' },
        },
      ],
    },
  },
  AuthorizationPolicy: {
    apiVersion: LINKERD_API_VERSIONS.AuthorizationPolicy,
    kind: 'AuthorizationPolicy',
    metadata,
    spec: {
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api' },
      requiredAuthenticationRefs: [
        {
          group: 'policy.linkerd.io',
          kind: 'MeshTLSAuthentication',
          name: 'api',
        },
      ],
    },
  },
  MeshTLSAuthentication: {
    apiVersion: LINKERD_API_VERSIONS.MeshTLSAuthentication,
    kind: 'MeshTLSAuthentication',
    metadata,
    spec: { identityRefs: [{ kind: 'ServiceAccount', name: 'web' }] },
  },
  NetworkAuthentication: {
    apiVersion: LINKERD_API_VERSIONS.NetworkAuthentication,
    kind: 'NetworkAuthentication',
    metadata,
    spec: {
      networks: [
        { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
        { cidr: '::/0' },
      ],
    },
  },
  ServiceProfile: {
    apiVersion: LINKERD_API_VERSIONS.ServiceProfile,
    kind: 'ServiceProfile',
    metadata: { ...metadata, name: 'api.shop.svc.cluster.local' },
    spec: {
      routes: [
        {
          name: 'GET',
          condition: { method: 'GET', pathRegex: '/.*' },
          isRetryable: true,
          timeout: '15s',
        },
      ],
      retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: '10s' },
    },
  },
};

/** A copy of a valid object with one change. */
function broken(kind: string, change: (object: Loose) => void): Loose {
  const object = structuredClone(VALID[kind]);
  change(object);
  return object;
}

describe('validateLinkerdObject', () => {
  it.each(Object.keys(VALID))('accepts a valid %s', kind => {
    expect(validateLinkerdObject(VALID[kind])).toEqual([]);
    expect(isLinkerdObject(VALID[kind])).toBe(true);
  });

  it('reports an unknown field, with its path and the allowed keys', () => {
    expect(
      validateLinkerdObject(
        broken('Server', o => {
          o.spec.podSelector.matchLabel = { app: 'api' };
        }),
      ),
    ).toEqual([
      {
        path: 'spec.podSelector.matchLabel',
        message:
          "unknown field 'matchLabel' (allowed: matchLabels, matchExpressions)",
      },
    ]);
    // also deep in arrays, and in metadata
    expect(
      validateLinkerdObject(
        broken('HTTPRoute', o => {
          o.spec.rules[0].matches[0].pathPrefix = '/';
          o.metadata.uid = 'x';
        }),
      ).map(i => i.path),
    ).toEqual(['metadata.uid', 'spec.rules[0].matches[0].pathPrefix']);
  });

  it('reports a wrong type', () => {
    expect(
      validateLinkerdObject(
        broken('ServiceProfile', o => {
          o.spec.retryBudget.retryRatio = '0.2';
          o.spec.retryBudget.minRetriesPerSecond = 1.5;
          o.spec.routes[0].isRetryable = 'yes';
        }),
      ),
    ).toEqual([
      {
        path: 'spec.routes[0].isRetryable',
        message: 'expected a boolean, got the string "yes"',
      },
      {
        path: 'spec.retryBudget.retryRatio',
        message: 'expected number, got the string "0.2"',
      },
      {
        path: 'spec.retryBudget.minRetriesPerSecond',
        message: 'expected an integer, got 1.5',
      },
    ]);
    expect(
      validateLinkerdObject(
        broken('Server', o => {
          o.spec.port = true;
        }),
      ).map(i => i.path),
    ).toEqual(['spec.port']);
  });

  it('reports missing required fields', () => {
    expect(
      validateLinkerdObject(
        broken('AuthorizationPolicy', o => {
          delete o.spec.targetRef;
        }),
      ),
    ).toEqual([
      { path: 'spec.targetRef', message: 'required field is missing' },
    ]);
  });

  it('enforces the CRDs’ oneOf groups', () => {
    expect(
      validateLinkerdObject(
        broken('MeshTLSAuthentication', o => {
          o.spec.identities = ['*'];
        }),
      ),
    ).toEqual([
      {
        path: 'spec',
        message:
          'exactly one of identities, identityRefs must be set (found identities, identityRefs)',
      },
    ]);
    expect(
      validateLinkerdObject(
        broken('Server', o => {
          delete o.spec.podSelector;
        }),
      ).map(i => i.message),
    ).toEqual([
      'exactly one of podSelector, externalWorkloadSelector must be set',
    ]);
  });

  it('checks enums, patterns and formats', () => {
    const paths = (object: Loose) =>
      validateLinkerdObject(object).map(i => i.path);
    expect(
      paths(
        broken('Server', o => {
          o.spec.proxyProtocol = 'HTTP/3';
        }),
      ),
    ).toEqual(['spec.proxyProtocol']);
    expect(
      paths(
        broken('HTTPRoute', o => {
          o.spec.rules[0].matches[0].method = 'FETCH';
          o.spec.rules[0].matches[0].path.type = 'Prefix';
          o.spec.rules[0].timeouts.request = '15 seconds';
        }),
      ),
    ).toEqual([
      'spec.rules[0].matches[0].path.type',
      'spec.rules[0].matches[0].method',
      'spec.rules[0].timeouts.request',
    ]);
    expect(
      paths(
        broken('NetworkAuthentication', o => {
          o.spec.networks[0].cidr = '10.0.0.0';
        }),
      ),
    ).toEqual(['spec.networks[0].cidr']);
    expect(
      paths(
        broken('MeshTLSAuthentication', o => {
          delete o.spec.identityRefs;
          o.spec.identities = ['Web.shop.serviceaccount'];
        }),
      ),
    ).toEqual(['spec.identities[0]']);
    expect(
      paths(
        broken('ServiceProfile', o => {
          o.spec.retryBudget.ttl = '10';
        }),
      ),
    ).toEqual(['spec.retryBudget.ttl']);
  });

  it('refuses versions and kinds it does not model', () => {
    expect(
      validateLinkerdObject(
        broken('Server', o => {
          o.apiVersion = 'policy.linkerd.io/v1beta1';
        }),
      ),
    ).toEqual([
      {
        path: 'apiVersion',
        message:
          'Server is modelled for policy.linkerd.io/v1beta2, got "policy.linkerd.io/v1beta1"',
      },
    ]);
    expect(
      validateLinkerdObject({
        apiVersion: 'policy.linkerd.io/v1beta1',
        kind: 'ServerAuthorization',
        metadata,
        spec: {},
      }).map(i => i.path),
    ).toEqual(['kind']);
    expect(
      isLinkerdObject({ apiVersion: 'networking.istio.io/v1', kind: 'X' }),
    ).toBe(false);
  });
});
