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
});
