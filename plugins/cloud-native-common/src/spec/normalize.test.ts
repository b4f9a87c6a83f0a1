import { parseArchitecture } from './normalize';
import { spec, svc } from '../__fixtures__/specs';

function issues(input: unknown) {
  const result = parseArchitecture(input);
  if (result.ok) throw new Error('expected issues');
  return result.issues;
}

describe('parseArchitecture', () => {
  it('applies documented defaults', () => {
    const result = parseArchitecture(spec());
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { spec: s } = result.architecture;
    expect(s.platform).toBe('auto');
    expect(s.environments).toEqual(['prod']);
    expect(s.mesh).toBe('auto');
    expect(s.gitops).toBe('none');
    expect(s.region).toBe('us-east-1');
    expect(s.services[0]).toMatchObject({
      expose: 'internal',
      replicas: { min: 2, max: 6 },
      strategy: 'auto',
      health: { path: '/healthz', port: 8080, startupSeconds: 0 },
      dependsOn: [],
      env: {},
      secrets: [],
    });
  });

  it('names the field path of schema errors', () => {
    const found = issues(
      spec({}, [
        { name: 'Web_1', workload: 'service', language: 'node' } as any,
      ]),
    );
    expect(found[0].path).toBe('spec.services[0].name');
    expect(found[0].message).toMatch(/RFC 1123/);
  });

  it('rejects unknown fields (typos) with their path', () => {
    const input: any = spec();
    input.spec.services[0].replica = 3;
    expect(issues(input)).toEqual([
      { path: 'spec.services[0]', message: "unknown field 'replica'" },
    ]);
  });

  it('rejects duplicate names, naming both places', () => {
    const found = issues(
      spec({}, [svc('api', 'worker'), svc('api', 'worker')]),
    );
    expect(found).toEqual([
      {
        path: 'spec.services[1].name',
        message: "duplicate service name 'api' (also spec.services[0])",
      },
    ]);
  });

  it('rejects unknown dependsOn', () => {
    const found = issues(
      spec({}, [svc('api', 'worker', { dependsOn: ['db'] })]),
    );
    expect(found[0].path).toBe('spec.services[0].dependsOn');
    expect(found[0].message).toMatch(/unknown service 'db'/);
  });

  it.each([
    ['0 2 * *', /5 fields/],
    ['61 * * * *', /minute 61 is outside 0-59/],
    ['* 24 * * *', /hour 24/],
    ['* * * 13 *', /month 13/],
    ['*/0 * * * *', /step/],
    ['@sometimes', /unknown macro/],
    ['5-1 * * * *', /backwards/],
  ])('rejects the invalid cron %s', (schedule, message) => {
    const found = issues(spec({}, [svc('nightly', 'cronjob', { schedule })]));
    expect(found[0].path).toBe('spec.services[0].schedule');
    expect(found[0].message).toMatch(message);
  });

  it.each(['0 2 * * *', '*/15 9-17 * * mon-fri', '@daily', '0 0 1 jan,jul *'])(
    'accepts the cron %s',
    schedule => {
      expect(
        parseArchitecture(spec({}, [svc('nightly', 'cronjob', { schedule })]))
          .ok,
      ).toBe(true);
    },
  );

  it('requires a schedule on cron jobs and a valid time zone', () => {
    const found = issues(
      spec({}, [
        { name: 'a', workload: 'cronjob', language: 'go' },
        svc('b', 'cronjob', { timeZone: 'Mars/Olympus' }),
      ]),
    );
    expect(found.map(i => i.path)).toEqual([
      'spec.services[0].schedule',
      'spec.services[1].timeZone',
    ]);
  });

  it.each([
    ['cpu', { cpu: 'lots', memory: '1Gi' }, 'spec.services[0].resources.cpu'],
    [
      'memory',
      { cpu: '250m', memory: '1 gig' },
      'spec.services[0].resources.memory',
    ],
  ])('rejects invalid %s quantities', (_what, resources, path) => {
    const found = issues(spec({}, [svc('api', 'worker', { resources })]));
    expect(found[0].path).toBe(path);
  });

  it.each([
    ['DB_PASSWORD', 'hunter2hunter2'],
    ['STRIPE', 'sk_live_abcdefghijklmnopqrstuvwx'],
    ['AWS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['DATABASE_URL', 'postgres://app:s3cret@db:5432/app'],
  ])('rejects the secret-looking env value %s', (key, value) => {
    const found = issues(
      spec({}, [svc('api', 'worker', { env: { [key]: value } })]),
    );
    expect(found[0].path).toBe(`spec.services[0].env.${key}`);
    expect(found[0].message).toMatch(/list the name under secrets/);
  });

  it('accepts non-secret env values and secret names', () => {
    const result = parseArchitecture(
      spec({}, [
        svc('api', 'worker', {
          env: { LOG_LEVEL: 'info', TOKEN_TTL: '3600', DB_HOST: 'db' },
          secrets: ['DATABASE_URL'],
        }),
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it('rejects a function over 15 minutes on an explicit serverless platform', () => {
    const found = issues(
      spec({ platform: 'serverless', type: 'event-driven' }, [
        svc('crunch', 'function', { timeoutSeconds: 1800 }),
      ]),
    );
    expect(found).toEqual([
      expect.objectContaining({ path: 'spec.services[0].timeoutSeconds' }),
    ]);
  });

  it('lets the rules reroute a long function when the platform is auto', () => {
    expect(
      parseArchitecture(
        spec({}, [svc('crunch', 'function', { timeoutSeconds: 1800 })]),
      ).ok,
    ).toBe(true);
  });

  it('refuses a trigger source with a wildcard: it must name one resource', () => {
    for (const source of [
      'arn:aws:sqs:us-east-1:123456789012:*',
      'arn:aws:s3:::media-*',
      'arn:aws:kinesis:us-east-1:123456789012:stream/click?',
      'orders-*',
    ]) {
      const found = issues(
        spec({}, [
          svc('fn', 'function', { trigger: { type: 'queue', source } }),
        ]),
      );
      expect(found).toEqual([
        {
          path: 'spec.services[0].trigger.source',
          message: expect.stringMatching(
            /wildcard \(\* or \?\).*name the resource/,
          ),
        },
      ]);
    }
    expect(
      parseArchitecture(
        spec({}, [
          svc('fn', 'function', {
            trigger: {
              type: 'queue',
              source: 'arn:aws:sqs:us-east-1:123456789012:orders',
            },
          }),
        ]),
      ).ok,
    ).toBe(true);
  });

  it('requires language unless an image is given', () => {
    const found = issues(spec({}, [{ name: 'api', workload: 'worker' }]));
    expect(found[0].path).toBe('spec.services[0].language');
    expect(
      parseArchitecture(
        spec({}, [{ name: 'api', workload: 'worker', image: 'nginx:1.27' }]),
      ).ok,
    ).toBe(true);
  });

  it('refuses progressive strategies on stateful workloads', () => {
    const found = issues(
      spec({}, [svc('db', 'stateful', { strategy: 'canary', port: 5432 })]),
    );
    expect(found[0].path).toBe('spec.services[0].strategy');
  });

  it('refuses a/b testing without a mesh', () => {
    const found = issues(
      spec({ mesh: 'none' }, [
        svc('web', 'service', { strategy: 'ab-testing', port: 8080 }),
      ]),
    );
    expect(found[0].path).toBe('spec.services[0].strategy');
  });

  describe('protocol', () => {
    /** A service that declares tcp on `port`, with further fields. */
    const tcpSvc = (
      name: string,
      workload: Parameters<typeof svc>[1],
      port: number,
      extra: Parameters<typeof svc>[2] = {},
    ) => svc(name, workload, { port, protocol: 'tcp', ...extra });

    const services = (input: unknown) => {
      const result = parseArchitecture(input);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.architecture.spec.services;
    };

    it('defaults to tcp for a stateful service without health.path, http otherwise', () => {
      const [db, api, built, search, worker, fn] = services(
        spec({}, [
          {
            name: 'db',
            workload: 'stateful',
            image: 'postgres:16',
            port: 5432,
          },
          svc('api', 'service', { port: 8080 }),
          // built from source: /healthz is assumed, so HTTP
          svc('ledger', 'stateful', { port: 8080 }),
          {
            name: 'search',
            workload: 'stateful',
            image: 'elasticsearch:8.15.3',
            port: 9200,
            health: { path: '/_cluster/health' },
          },
          svc('worker', 'worker'),
          svc('fn', 'function'),
        ]),
      );
      expect(db).toMatchObject({ protocol: 'tcp', port: 5432 });
      expect(db.health).toBeUndefined();
      expect(api.protocol).toBe('http');
      expect(built).toMatchObject({
        protocol: 'http',
        health: { path: '/healthz' },
      });
      expect(search.protocol).toBe('http');
      expect(worker.protocol).toBe('http');
      expect(fn.protocol).toBe('http');
    });

    it('keeps a public stateful service on http (an Ingress speaks HTTP)', () => {
      const [db] = services(
        spec({}, [
          {
            name: 'minio',
            workload: 'stateful',
            image: 'minio/minio:1.0.0',
            port: 9000,
            expose: 'public',
          },
        ]),
      );
      expect(db.protocol).toBe('http');
    });

    it('honours an explicit protocol; gRPC and TCP servers get no assumed /healthz', () => {
      const [rpc, queue] = services(
        spec({}, [
          svc('rpc', 'service', { port: 9090, protocol: 'grpc' }),
          svc('queue', 'stateful', { port: 4222, protocol: 'tcp' }),
        ]),
      );
      expect(rpc).toMatchObject({ protocol: 'grpc', port: 9090 });
      expect(rpc.health).toBeUndefined();
      expect(queue).toMatchObject({ protocol: 'tcp' });
      expect(queue.health).toBeUndefined();
    });

    it('rejects tcp exposed public: an Ingress cannot route TCP', () => {
      const found = issues(
        spec({}, [tcpSvc('mqtt', 'service', 1883, { expose: 'public' })]),
      );
      expect(found).toEqual([
        {
          path: 'spec.services[0].expose',
          message: expect.stringMatching(
            /tcp, which cannot be public: an Ingress routes HTTP\(S\) only/,
          ),
        },
      ]);
    });

    it('rejects an HTTP health path on a tcp port, not on a separate health port', () => {
      const found = issues(
        spec({}, [
          tcpSvc('db', 'stateful', 5432, { health: { path: '/health' } }),
        ]),
      );
      expect(found).toEqual([
        {
          path: 'spec.services[0].health.path',
          message: expect.stringMatching(/speaks tcp there/),
        },
      ]);
      // a health path on a separate port: tcp, also by default
      const [db, defaulted] = services(
        spec({}, [
          tcpSvc('db', 'stateful', 26257, {
            health: { path: '/health', port: 8080 },
          }),
          svc('pg', 'stateful', {
            image: 'postgres:16.4',
            port: 5432,
            health: { path: '/health', port: 8008 },
          }),
        ]),
      );
      expect(db).toMatchObject({
        protocol: 'tcp',
        health: { path: '/health', port: 8080 },
      });
      expect(defaulted).toMatchObject({
        protocol: 'tcp',
        health: { path: '/health', port: 8008 },
      });
    });

    it('rejects a/b testing of a tcp service (header routing is HTTP)', () => {
      const found = issues(
        spec({ mesh: 'istio' }, [
          tcpSvc('broker', 'service', 4222, { strategy: 'ab-testing' }),
        ]),
      );
      expect(found).toEqual([
        {
          path: 'spec.services[0].strategy',
          message: expect.stringMatching(
            /ab-testing routes requests by an HTTP header/,
          ),
        },
      ]);
    });

    it('rejects public gRPC behind the GKE Ingress (HTTP/2 to pods needs TLS)', () => {
      const input = (cloud: 'gcp' | 'aws') =>
        spec({ cloud }, [
          svc('rpc', 'service', {
            port: 9090,
            protocol: 'grpc',
            expose: 'public',
          }),
        ]);
      expect(issues(input('gcp'))[0].path).toBe('spec.services[0].expose');
      expect(parseArchitecture(input('aws')).ok).toBe(true);
    });

    it('rejects a protocol where there is no port or no long-running server', () => {
      expect(
        issues(
          spec({}, [
            svc('nightly', 'cronjob', { protocol: 'tcp' }),
            svc('worker', 'worker', { protocol: 'grpc' }),
          ]),
        ),
      ).toEqual([
        {
          path: 'spec.services[0].protocol',
          message: expect.stringMatching(/'nightly' is a cronjob/),
        },
        {
          path: 'spec.services[1].protocol',
          message: expect.stringMatching(/a protocol needs a port/),
        },
      ]);
      expect(
        issues(
          spec({}, [svc('api', 'service', { protocol: 'udp' } as any)]),
        )[0],
      ).toEqual({
        path: 'spec.services[0].protocol',
        message: 'must be one of "http", "grpc", "tcp"',
      });
    });

    it('accepts http anywhere, so the normalized spec parses again', () => {
      const input = spec({}, [
        svc('nightly', 'cronjob'),
        svc('worker', 'worker'),
        { name: 'db', workload: 'stateful', image: 'postgres:16', port: 5432 },
        svc('rpc', 'service', { port: 9090, protocol: 'grpc' }),
      ]);
      const first = parseArchitecture(input);
      if (!first.ok) throw new Error(JSON.stringify(first.issues));
      expect(first.architecture.spec.services.map(s => s.protocol)).toEqual([
        'http',
        'http',
        'tcp',
        'grpc',
      ]);
      const again = parseArchitecture(
        JSON.parse(JSON.stringify(first.architecture)),
      );
      if (!again.ok) throw new Error(JSON.stringify(again.issues));
      expect(again.architecture).toEqual(first.architecture);
    });
  });
});
