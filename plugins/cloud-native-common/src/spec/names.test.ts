import { parseArchitecture } from './normalize';
import { ArchitectureSpecInput, ServiceSpecInput } from './schema';
import { spec, svc } from '../__fixtures__/specs';

function issues(input: ArchitectureSpecInput) {
  const result = parseArchitecture(input);
  return result.ok ? [] : result.issues;
}

const stateful = (name: string, extra: Partial<ServiceSpecInput> = {}) =>
  svc(name, 'stateful', { image: 'postgres:16', port: 5432, ...extra });

describe('generated-name collisions', () => {
  it("rejects a service named like another stateful service's headless Service", () => {
    expect(
      issues(spec({}, [stateful('db'), svc('db-headless', 'service')])),
    ).toEqual([
      {
        path: 'spec.services[1].name',
        message: expect.stringMatching(
          /'db-headless' is the name of the headless Service of the stateful service 'db' \(spec.services\[0\]\): both would be the Service db-headless/,
        ),
      },
    ]);
    // whatever the order of the two services
    expect(
      issues(spec({}, [svc('db-headless', 'worker'), stateful('db')])),
    ).toEqual([expect.objectContaining({ path: 'spec.services[0].name' })]);
  });

  it.each([
    ['canary', 'api-canary', /canary Service of 'api' \(strategy canary\)/],
    ['blue-green', 'api-preview', /preview Service of 'api'/],
    ['auto', 'api-canary', /strategy auto/],
    ['auto', 'api-preview', /strategy auto/],
    ['ab-testing', 'api-canary', /strategy ab-testing/],
  ] as const)(
    'rejects the Rollout Services of strategy %s (%s)',
    (strategy, other, message) => {
      const found = issues(
        spec({ mesh: strategy === 'ab-testing' ? 'istio' : undefined }, [
          svc(other, 'worker'),
          svc('api', 'service', { strategy }),
        ]),
      );
      expect(found).toEqual([
        { path: 'spec.services[0].name', message: expect.any(String) },
      ]);
      expect(found[0].message).toMatch(message);
    },
  );

  it('accepts names that cannot collide', () => {
    for (const services of [
      // rolling and recreate never become Rollouts
      [
        svc('api', 'service', { strategy: 'rolling' }),
        svc('api-canary', 'service'),
      ],
      [
        svc('api', 'service', { strategy: 'recreate' }),
        svc('api-preview', 'worker'),
      ],
      // a worker without a port has no Services
      [svc('jobs', 'worker'), svc('jobs-canary', 'worker')],
      // only stateful services get a headless Service
      [svc('db', 'service'), svc('db-headless', 'service')],
      // ConfigMaps and Secrets are <svc>-config / <svc>-secrets of one kind each
      [
        svc('api', 'worker'),
        svc('api-config', 'worker'),
        svc('api-secrets', 'worker'),
      ],
      // HPA and PDB are named <svc>, unique with the service names
      [
        svc('api', 'service', { strategy: 'rolling' }),
        svc('api-hpa', 'worker'),
      ],
    ]) {
      expect(issues(spec({}, services))).toEqual([]);
    }
  });

  it.each([
    [
      'default',
      /ServiceAccount default is the ServiceAccount every namespace has/,
    ],
    [
      'default-deny-all',
      /NetworkPolicy default-deny-all is a namespace-wide NetworkPolicy/,
    ],
    ['allow-dns-egress', /NetworkPolicy/],
    ['shop-test-connection', /Helm test hook/],
  ])('rejects the reserved name %s', (name, message) => {
    const found = issues(
      spec({}, [svc('web', 'service'), svc(name, 'worker')]),
    );
    expect(found).toEqual([
      {
        path: 'spec.services[1].name',
        message: expect.stringMatching(message),
      },
    ]);
    expect(found[0].message).toMatch(new RegExp(`^'${name}' is reserved`));
  });

  it('checks the objects of the mesh the spec names', () => {
    expect(
      issues(spec({ mesh: 'istio' }, [svc('allow-nothing', 'service')])),
    ).toEqual([
      expect.objectContaining({
        path: 'spec.services[0].name',
        message: expect.stringMatching(/AuthorizationPolicy \(Istio\)/),
      }),
    ]);
    expect(
      issues(
        spec({ mesh: 'linkerd' }, [
          svc('api', 'service'),
          svc('api-probes', 'service', { strategy: 'rolling' }),
        ]),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'spec.services[1].name',
        message: expect.stringMatching(/Linkerd probes route of 'api'/),
      }),
    ]);
    // no mesh, or one the plan may not choose: nothing to collide with
    for (const mesh of ['none', 'auto'] as const) {
      expect(
        issues(
          spec({ mesh }, [
            svc('allow-nothing', 'service'),
            svc('api', 'service', { strategy: 'rolling' }),
            svc('api-probes', 'service', { strategy: 'rolling' }),
          ]),
        ),
      ).toEqual([]);
    }
  });

  it('reports each service once', () => {
    const found = issues(
      spec({}, [
        stateful('db'),
        svc('db-headless', 'service', { strategy: 'canary' }),
        svc('db-headless-canary', 'worker'),
      ]),
    );
    expect(found.map(i => i.path)).toEqual([
      'spec.services[1].name',
      'spec.services[2].name',
    ]);
  });
});

describe('name length limits of derived objects', () => {
  const name = (length: number) => `a${'b'.repeat(length - 2)}c`;

  it.each([
    ['cronjob', svc(name(53), 'cronjob'), 52],
    ['job', svc(name(55), 'job'), 54],
    ['stateful', stateful(name(53)), 52],
    ['canary service', svc(name(57), 'service', { strategy: 'canary' }), 56],
    ['auto service', svc(name(56), 'service'), 55],
    [
      'blue-green worker',
      svc(name(56), 'worker', { port: 9000, strategy: 'blue-green' }),
      55,
    ],
  ] as const)('limits a %s name', (_what, service, max) => {
    const found = issues(spec({}, [service]));
    expect(found).toEqual([
      {
        path: 'spec.services[0].name',
        message: expect.stringContaining(`must be at most ${max} characters`),
      },
    ]);
    expect(issues(spec({}, [{ ...service, name: name(max) }]))).toEqual([]);
  });

  it('limits a scheduled function unless it runs on a serverless platform', () => {
    const fn = svc(name(60), 'function', {
      language: 'node',
      trigger: { type: 'schedule' },
      schedule: '@daily',
    });
    expect(issues(spec({}, [fn]))[0].message).toMatch(/CronJob/);
    expect(
      issues(spec({ platform: 'serverless', type: 'event-driven' }, [fn])),
    ).toEqual([]);
  });

  it('accepts 63 characters where nothing is derived', () => {
    for (const service of [
      svc(name(63), 'service', { strategy: 'rolling' }),
      svc(name(63), 'worker'),
      svc(name(63), 'daemon', { image: 'fluent/fluent-bit:3' }),
      svc(name(63), 'function', { language: 'node' }),
    ]) {
      expect(issues(spec({}, [service]))).toEqual([]);
    }
  });
});
