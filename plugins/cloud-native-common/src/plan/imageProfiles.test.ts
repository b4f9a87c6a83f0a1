import { parseArchitecture } from '../spec/normalize';
import { ArchitectureSpecInput } from '../spec/schema';
import { createPlan } from './rules';
import { spec, svc } from '../__fixtures__/specs';
import { wellKnownImageProfile } from './imageProfiles';

function plan(input: ArchitectureSpecInput) {
  const result = parseArchitecture(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return createPlan(result.architecture);
}

describe('well-known image profiles', () => {
  /** Image references (official, with a registry, a digest) by the uid they run as, with their profile's name. */
  const IMAGES_BY_USER: Array<[user: number, images: Record<string, string>]> =
    [
      [
        999,
        {
          'postgres:16.4-bookworm': 'PostgreSQL (official image)',
          'mysql:8.4': 'MySQL (official image)',
          'mariadb:11.4': 'MariaDB (official image)',
          'mongo:7.0': 'MongoDB (official image)',
          'redis:7.4-bookworm': 'Redis (official image)',
          'valkey/valkey:8': 'Valkey (official image)',
          'rabbitmq:3.13-management': 'RabbitMQ (official image)',
          'registry.local:5000/library/redis@sha256:abc':
            'Redis (official image)',
        },
      ],
      [
        70,
        {
          'docker.io/library/postgres:16-alpine': 'PostgreSQL (official image)',
        },
      ],
      [
        1000,
        {
          'docker.elastic.co/elasticsearch/elasticsearch:8.15.3':
            'Elasticsearch (Elastic image)',
          'opensearchproject/opensearch:2.17.0': 'OpenSearch (project image)',
          'apache/kafka:3.8.0': 'Apache Kafka (project image)',
        },
      ],
    ];

  it.each(
    IMAGES_BY_USER.flatMap(([user, images]) =>
      Object.entries(images).map(([image, name]): [string, string, number] => [
        image,
        name,
        user,
      ]),
    ),
  )('%s is %s, uid %d', (image, name, user) => {
    expect(wellKnownImageProfile(image)).toMatchObject({ name, user });
  });

  it('knows no profile for other images (they get a plan question)', () => {
    expect(wellKnownImageProfile('fluent/fluent-bit:3.1.9')).toBeUndefined();
    expect(wellKnownImageProfile('bitnami/postgresql:16')).toBeUndefined();
    expect(wellKnownImageProfile('ghcr.io/acme/postgres-tools:1')).toBe(
      undefined,
    );
  });

  it('keeps the data of each data store on its volume', () => {
    expect(wellKnownImageProfile('postgres:16')).toMatchObject({
      dataPath: '/var/lib/postgresql/data',
      env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
      writablePaths: ['/var/run/postgresql'],
      readOnlyRootFilesystem: true,
    });
    // the image's default log directory is /tmp/kraft-combined-logs
    expect(wellKnownImageProfile('apache/kafka:3.8.0')).toMatchObject({
      dataPath: '/var/lib/kafka/data',
      env: { KAFKA_LOG_DIRS: '/var/lib/kafka/data' },
    });
  });
});

describe('IMAGE-001 and STATE-001', () => {
  const db = (options: Record<string, unknown> = {}) =>
    svc('db', 'stateful', {
      image: 'postgres:16.4',
      port: 5432,
      secrets: ['POSTGRES_PASSWORD'],
      ...options,
    });

  it('IMAGE-001: a well-known prebuilt image gets its profile', () => {
    const p = plan(spec({ tier: 'T2' }, [db()]));
    const servicePlan = p.services[0];
    expect(servicePlan.imageProfile?.name).toBe('PostgreSQL (official image)');
    expect(servicePlan.decisions.map(d => d.ruleId)).toContain('IMAGE-001');
  });

  it('STATE-001: several replicas of a data store that does not replicate become one, with a question', () => {
    const p = plan(
      spec({ tier: 'T2' }, [db({ replicas: { min: 3, max: 3 } })]),
    );
    const servicePlan = p.services[0];
    expect(servicePlan.service.replicas).toEqual({ min: 1, max: 1 });
    expect(servicePlan.decisions.map(d => d.ruleId)).toContain('STATE-001');
    expect(p.questions.map(q => q.id)).toEqual(['Q-STATEFUL-REPLICATION-db']);
    expect(p.questions[0].question).toContain('CloudNativePG');
  });

  it('STATE-001: an image declared as clustered keeps its replicas', () => {
    const p = plan(
      spec({ tier: 'T2' }, [
        db({
          replicas: { min: 3, max: 3 },
          imageProfile: { user: 999, clustered: true },
        }),
      ]),
    );
    expect(p.services[0].service.replicas).toEqual({ min: 3, max: 3 });
    expect(p.services[0].imageProfile).toMatchObject({
      source: 'spec',
      // the rest comes from the well-known profile
      dataPath: '/var/lib/postgresql/data',
    });
  });

  it('asks about a prebuilt image nobody described, and not about built images', () => {
    const p = plan(
      spec({ tier: 'T2' }, [
        svc('agent', 'daemon', { image: 'fluent/fluent-bit:3.1.9' }),
        svc('api', 'service', { language: 'go', port: 8080 }),
      ]),
    );
    expect(p.questions.map(q => q.id)).toEqual(['Q-IMAGE-PROFILE-agent']);
    expect(p.questions[0].assumption).toContain('uid 65532');
  });

  it('a declared profile answers the question', () => {
    const p = plan(
      spec({ tier: 'T2' }, [
        svc('agent', 'daemon', {
          image: 'fluent/fluent-bit:3.1.9',
          imageProfile: { user: 10001, writablePaths: ['/fluent-bit/db'] },
        }),
      ]),
    );
    expect(p.questions).toEqual([]);
    expect(p.services[0].imageProfile).toMatchObject({
      user: 10001,
      group: 10001,
      writablePaths: ['/fluent-bit/db'],
      readOnlyRootFilesystem: true,
    });
  });

  it('refuses an imageProfile without a prebuilt image, naming the field', () => {
    const result = parseArchitecture(
      spec({}, [
        svc('api', 'service', {
          language: 'go',
          port: 8080,
          imageProfile: { user: 1000 },
        }),
      ]),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]).toMatchObject({
      path: 'spec.services[0].imageProfile',
    });
  });

  it('refuses a relative data path, naming the field', () => {
    const result = parseArchitecture(
      spec({}, [db({ imageProfile: { user: 999, dataPath: 'data' } })]),
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(!result.ok && result.issues)).toContain(
      'imageProfile.dataPath must be an absolute path',
    );
  });
});
