import { modelFamily, s, StrictSchema } from '../../core/strict';
import { objectValidator, PackageValidators } from '../../core/validators';

/**
 * Strict models of the Linkerd resources this skill writes.
 *
 * The Kubernetes schema validator (`validation/schema`) has no Linkerd models
 * (there is no maintained `@kubernetes-models/linkerd` in this repository), so
 * these are HAND-WRITTEN from Linkerd's CRD definitions,
 * `charts/linkerd-crds/templates/{policy/server,policy/httproute,
 * policy/authorization-policy,policy/meshtls-authentication,
 * policy/network-authentication,serviceprofile}.yaml` of linkerd/linkerd2, as
 * shipped by Linkerd 2.15 through 2.18 (edge-25.x), and the reference at
 * https://linkerd.io/2.15/reference/authorization-policy/.
 *
 * Scope: exactly the fields this skill uses, each with the type, enum,
 * pattern and length the CRD declares. A field the CRD defines but the skill
 * does not use (HTTPRoute `filters`/`backendRefs`, ServiceProfile
 * `dstOverrides`, ...) is reported as unknown, like any typo; add it here
 * when the generator starts using it. Every object is strict (the
 * equivalent of zod's `.strict()`), including `metadata` (name, namespace,
 * labels, annotations).
 *
 * A few checks go beyond the OpenAPI schema, where the CRD says `string` but
 * Linkerd's controller parses the value (an invalid value is accepted by the
 * API server and then ignored or rejected at runtime): durations, CIDRs and
 * Server `proxyProtocol` (the documented enum).
 */

/** The API versions this skill writes, and that the models below cover. */
export const LINKERD_API_VERSIONS = {
  /**
   * `policy.linkerd.io/v1beta2`: served (not deprecated) from Linkerd 2.15
   * (which added it with `externalWorkloadSelector`) through the current
   * releases. v1beta1 is deprecated (served with a warning); v1beta3 (the
   * current storage version, adds `accessPolicy`) is not served by 2.15.
   */
  Server: 'policy.linkerd.io/v1beta2',
  /** `policy.linkerd.io/v1beta3`: Linkerd's own HTTPRoute, with `timeouts` */
  HTTPRoute: 'policy.linkerd.io/v1beta3',
  AuthorizationPolicy: 'policy.linkerd.io/v1alpha1',
  MeshTLSAuthentication: 'policy.linkerd.io/v1alpha1',
  NetworkAuthentication: 'policy.linkerd.io/v1alpha1',
  ServiceProfile: 'linkerd.io/v1alpha2',
} as const;

export type LinkerdKind = keyof typeof LINKERD_API_VERSIONS;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Group of a reference: empty (core) or a DNS subdomain (CRD pattern) */
const GROUP =
  /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** IANA_SVC_NAME: a named container port */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** MeshTLSAuthentication identities (CRD pattern; `*` prefix = a domain) */
const IDENTITY =
  /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Go duration (`time.ParseDuration`), as ServiceProfile timeouts are read */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
/** Gateway API duration (GEP-2257), the format of HTTPRoute timeouts */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** The two duration syntaxes of Linkerd's resources, as schemas. */
const gatewayDuration = s.string({
  pattern: GATEWAY_DURATION,
  patternName: 'a Gateway API duration (e.g. 10s, 1m30s)',
});
const goDuration = s.string({
  pattern: GO_DURATION,
  patternName: 'a Go duration (e.g. 10s, 250ms)',
});
const IPV4_CIDR =
  /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;
const IPV6_CIDR =
  /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/;

const name = s.string({ minLength: 1, maxLength: 253 });
const group = s.optional(
  s.string({ pattern: GROUP, patternName: 'an API group', maxLength: 253 }),
);
const kind = s.string({
  pattern: KIND,
  patternName: 'a kind',
  minLength: 1,
  maxLength: 63,
});

function metadata(): StrictSchema {
  return s.object({
    name: s.string({
      pattern: DNS_SUBDOMAIN,
      patternName: 'a DNS-1123 subdomain',
      maxLength: 253,
    }),
    namespace: s.optional(
      s.string({
        pattern: DNS_LABEL,
        patternName: 'a DNS-1123 label',
        maxLength: 63,
      }),
    ),
    labels: s.optional(
      s.record(
        s.string({
          pattern: LABEL_VALUE,
          patternName: 'a label value',
          maxLength: 63,
        }),
      ),
    ),
    annotations: s.optional(s.record(s.string())),
  });
}

function resource(
  apiVersion: string,
  resourceKind: string,
  spec: StrictSchema,
): StrictSchema {
  return s.object({
    apiVersion: s.literal(apiVersion),
    kind: s.literal(resourceKind),
    metadata: metadata(),
    spec,
  });
}

const labelSelector = s.object({
  matchLabels: s.optional(
    s.record(
      s.string({
        pattern: LABEL_VALUE,
        patternName: 'a label value',
        maxLength: 63,
      }),
    ),
  ),
  matchExpressions: s.optional(
    s.array(
      s.object({
        key: s.string(),
        operator: s.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: s.optional(s.array(s.string())),
      }),
    ),
  ),
});

/** Server, policy.linkerd.io/v1beta2 */
const server = resource(
  LINKERD_API_VERSIONS.Server,
  'Server',
  s.object(
    {
      podSelector: s.optional(labelSelector),
      externalWorkloadSelector: s.optional(labelSelector),
      // x-kubernetes-int-or-string: a container port number or name
      port: s.union([
        s.number({ integer: true, min: 1, max: 65535 }),
        s.string({
          pattern: PORT_NAME,
          patternName: 'a port name (IANA_SVC_NAME)',
          maxLength: 15,
        }),
      ]),
      // CRD: string (default unknown); the documented values:
      proxyProtocol: s.optional(
        s.enum(['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS']),
      ),
    },
    { exactlyOneOf: [['podSelector', 'externalWorkloadSelector']] },
  ),
);

const parentRef = s.object({
  group,
  kind: s.optional(kind),
  name,
  namespace: s.optional(
    s.string({
      pattern: DNS_LABEL,
      patternName: 'a DNS-1123 label',
      minLength: 1,
      maxLength: 63,
    }),
  ),
  port: s.optional(s.number({ integer: true, min: 1, max: 65535 })),
  sectionName: s.optional(
    s.string({
      pattern: DNS_SUBDOMAIN,
      patternName: 'a section name',
      minLength: 1,
      maxLength: 253,
    }),
  ),
});

const httpRouteMatch = s.object({
  path: s.optional(
    s.object({
      type: s.optional(s.enum(['Exact', 'PathPrefix', 'RegularExpression'])),
      value: s.optional(s.string({ maxLength: 1024 })),
    }),
  ),
  headers: s.optional(
    s.array(
      s.object({
        type: s.optional(s.enum(['Exact', 'RegularExpression'])),
        name: s.string({
          pattern: /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/,
          patternName: 'an HTTP header name',
          minLength: 1,
          maxLength: 256,
        }),
        value: s.string({ minLength: 1, maxLength: 4096 }),
      }),
      { maxItems: 16 },
    ),
  ),
  method: s.optional(
    s.enum([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'CONNECT',
      'OPTIONS',
      'TRACE',
      'PATCH',
    ]),
  ),
});

/** HTTPRoute, policy.linkerd.io/v1beta3 */
const httpRoute = resource(
  LINKERD_API_VERSIONS.HTTPRoute,
  'HTTPRoute',
  s.object({
    parentRefs: s.optional(s.array(parentRef, { maxItems: 32 })),
    hostnames: s.optional(
      s.array(
        s.string({
          pattern:
            /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
          patternName: 'a hostname',
          minLength: 1,
          maxLength: 253,
        }),
        { maxItems: 16 },
      ),
    ),
    rules: s.optional(
      s.array(
        s.object({
          matches: s.optional(s.array(httpRouteMatch, { maxItems: 8 })),
          timeouts: s.optional(
            s.object({
              request: s.optional(gatewayDuration),
              backendRequest: s.optional(gatewayDuration),
            }),
          ),
        }),
        { maxItems: 16 },
      ),
    ),
  }),
);

/** A reference (targetRef, requiredAuthenticationRefs[], identityRefs[]). */
function reference(options: {
  nameRequired: boolean;
  withNamespace: boolean;
}): StrictSchema {
  return s.object({
    group,
    kind,
    name: options.nameRequired ? name : s.optional(name),
    ...(options.withNamespace
      ? { namespace: s.optional(s.string({ maxLength: 253 })) }
      : {}),
  });
}

/** AuthorizationPolicy, policy.linkerd.io/v1alpha1 */
const authorizationPolicy = resource(
  LINKERD_API_VERSIONS.AuthorizationPolicy,
  'AuthorizationPolicy',
  s.object({
    targetRef: reference({ nameRequired: true, withNamespace: false }),
    requiredAuthenticationRefs: s.array(
      reference({ nameRequired: true, withNamespace: true }),
    ),
  }),
);

/** MeshTLSAuthentication, policy.linkerd.io/v1alpha1 */
const meshTlsAuthentication = resource(
  LINKERD_API_VERSIONS.MeshTLSAuthentication,
  'MeshTLSAuthentication',
  s.object(
    {
      identities: s.optional(
        s.array(
          s.string({
            pattern: IDENTITY,
            patternName: 'a mesh identity (or `*`-prefixed domain)',
          }),
        ),
      ),
      identityRefs: s.optional(
        s.array(reference({ nameRequired: false, withNamespace: true })),
      ),
    },
    { exactlyOneOf: [['identities', 'identityRefs']] },
  ),
);

/** NetworkAuthentication, policy.linkerd.io/v1alpha1 */
const cidr = s.union([
  s.string({ pattern: IPV4_CIDR, patternName: 'an IPv4 CIDR' }),
  s.string({ pattern: IPV6_CIDR, patternName: 'an IPv6 CIDR' }),
]);
const networkAuthentication = resource(
  LINKERD_API_VERSIONS.NetworkAuthentication,
  'NetworkAuthentication',
  s.object({
    networks: s.array(
      s.object({
        cidr,
        except: s.optional(s.array(cidr)),
      }),
    ),
  }),
);

/** ServiceProfile, linkerd.io/v1alpha2 */
const serviceProfile = resource(
  LINKERD_API_VERSIONS.ServiceProfile,
  'ServiceProfile',
  s.object({
    routes: s.optional(
      s.array(
        s.object({
          name: s.string(),
          condition: s.object({
            method: s.optional(s.string()),
            pathRegex: s.optional(s.string()),
          }),
          isRetryable: s.optional(s.boolean()),
          timeout: s.optional(goDuration),
        }),
      ),
    ),
    retryBudget: s.optional(
      s.object({
        // format: float; a ratio of retries to original requests
        retryRatio: s.number({ min: 0 }),
        // format: int32
        minRetriesPerSecond: s.number({
          integer: true,
          min: 0,
          max: 2147483647,
        }),
        ttl: goDuration,
      }),
    ),
  }),
);

const MODELS: Record<LinkerdKind, StrictSchema> = {
  Server: server,
  HTTPRoute: httpRoute,
  AuthorizationPolicy: authorizationPolicy,
  MeshTLSAuthentication: meshTlsAuthentication,
  NetworkAuthentication: networkAuthentication,
  ServiceProfile: serviceProfile,
};

const LINKERD = modelFamily({
  name: 'Linkerd',
  group: 'linkerd.io',
  models: MODELS,
  apiVersions: LINKERD_API_VERSIONS,
});

/** True for an object of a Linkerd API group (`*.linkerd.io`). */
export const isLinkerdObject = LINKERD.isMember;

/**
 * Validates one Linkerd object against the strict models above. An empty
 * array means valid; otherwise one entry per problem, by field path
 * (`spec.rules[0].matches[0].method`).
 */
export const validateLinkerdObject = LINKERD.validate;

/**
 * What the kubernetes-servicemesh-configurator skill contributes to the
 * package validation: the strict Linkerd models (every object of a
 * `*.linkerd.io` API group). Istio objects are covered by the shared
 * Kubernetes schema validator.
 *
 * @public
 */
export const meshValidators: PackageValidators = {
  objects: [
    objectValidator('linkerd', isLinkerdObject, validateLinkerdObject, [
      'linkerd-crd-strict',
    ]),
  ],
  files: [],
};
