import type { Service } from '../spec/normalize';

/**
 * What a prebuilt image needs to run: the user it runs as, where its data
 * lives, the paths it writes outside its data, how to probe it. The images
 * this package builds (containers/<svc>/Dockerfile) need none: they run as
 * uid 65532 with a read-only root and write only /tmp. A prebuilt image does
 * what its maintainers made it do, and the generic hardening breaks most
 * data stores: `postgres` cannot create /var/run/postgresql on a read-only
 * root, and keeps its data outside the volume without PGDATA.
 *
 * @public
 */
export interface ImageProfile {
  /** What the profile describes, e.g. 'PostgreSQL (official image)' */
  name: string;
  /** Where it comes from: the well-known table, or the spec's imageProfile */
  source: 'well-known' | 'spec';
  /** uid and gid the image runs as (numeric, for runAsNonRoot) */
  user: number;
  group: number;
  /** Group that owns the data volume (fsGroup) */
  fsGroup: number;
  /** Where the data volume is mounted (stateful services) */
  dataPath?: string;
  /** Environment the image needs to use that path, e.g. PGDATA */
  env: Record<string, string>;
  /** Environment of a single replica (no cluster to form), e.g. discovery.type */
  singleReplicaEnv?: Record<string, string>;
  /** Paths it writes besides its data: each gets an emptyDir */
  writablePaths: string[];
  /**
   * Directories holding files the image ships that it also writes at start
   * (a keystore into its config directory): each gets an emptyDir seeded with
   * the image's own files by an init container, so the root stays read-only.
   */
  seededPaths: string[];
  /** False where the image writes into its own file system (the reason says where) */
  readOnlyRootFilesystem: boolean;
  readOnlyRootReason?: string;
  /** Command of the readiness and liveness probes (exec), instead of TCP */
  probeCommand?: string[];
  /** Secrets the image refuses to start without (one of each group) */
  requiredSecrets: string[][];
  /**
   * What more than one replica needs to be a cluster (an operator's resource
   * or the image's own clustering); several replicas of the image alone are
   * independent servers behind one Service.
   */
  replication?: string;
}

/**
 * The user of the images this package builds (distroless `nonroot`), and
 * the hardening every other image gets unless it has a profile.
 *
 * @public
 */
export const NON_ROOT_UID = 65532;

type WellKnown = Omit<
  ImageProfile,
  | 'source'
  | 'env'
  | 'writablePaths'
  | 'seededPaths'
  | 'readOnlyRootFilesystem'
  | 'requiredSecrets'
> & {
  env?: Record<string, string>;
  /** None when unset */
  requiredSecrets?: string[][];
  writablePaths?: string[];
  seededPaths?: string[];
  readOnlyRootFilesystem?: boolean;
};

/** The uid, gid and volume group of an image that runs as one numeric user. */
function runsAs(uid: number): Pick<WellKnown, 'user' | 'group' | 'fsGroup'> {
  return { user: uid, group: uid, fsGroup: uid };
}

/**
 * The layout Elasticsearch and its fork OpenSearch share: everything under
 * one home directory (data, logs, and a config directory the image writes
 * into at start), owned by uid 1000 (the files' group is 0; a non-root
 * group is enough for the owner).
 */
function elasticsearchLayout(
  home: string,
): Pick<
  WellKnown,
  | 'user'
  | 'group'
  | 'fsGroup'
  | 'dataPath'
  | 'env'
  | 'singleReplicaEnv'
  | 'writablePaths'
  | 'seededPaths'
> {
  return {
    ...runsAs(1000),
    dataPath: `${home}/data`,
    // no vm.max_map_count sysctl on the nodes is assumed
    env: { 'node.store.allow_mmap': 'false' },
    // without it a lone node waits for a cluster to form (bootstrap checks)
    singleReplicaEnv: { 'discovery.type': 'single-node' },
    writablePaths: [`${home}/logs`],
    seededPaths: [`${home}/config`],
  };
}

/**
 * The layout MySQL and its fork MariaDB share: uid 999, data in
 * /var/lib/mysql, a socket directory, and a ping that exits 0 while the
 * server runs (even when it is refused access).
 */
function mysqlLayout(
  socketDirectory: string,
  admin: string,
): Pick<
  WellKnown,
  'user' | 'group' | 'fsGroup' | 'dataPath' | 'probeCommand'
> & {
  writablePaths: string[];
} {
  return {
    ...runsAs(999),
    dataPath: '/var/lib/mysql',
    writablePaths: [socketDirectory],
    probeCommand: [admin, 'ping', '-h', '127.0.0.1'],
  };
}

/** The layout Redis and its fork Valkey share: uid 999, data in /data. */
function redisLayout(
  cli: string,
): Pick<WellKnown, 'user' | 'group' | 'fsGroup' | 'dataPath' | 'probeCommand'> {
  return {
    ...runsAs(999),
    dataPath: '/data',
    probeCommand: [cli, 'ping'],
  };
}

/**
 * The well-known images, by repository (the last two path segments, or the
 * last one for Docker official images). Facts from each image's Dockerfile
 * and entrypoint at the versions the examples pin.
 */
const WELL_KNOWN: Record<string, (tag: string) => WellKnown> = {
  postgres: tag => ({
    name: 'PostgreSQL (official image)',
    // Debian images: postgres is 999; Alpine images: 70
    ...runsAs(tag.includes('alpine') ? 70 : 999),
    dataPath: '/var/lib/postgresql/data',
    // a subdirectory: initdb refuses a mount point that holds lost+found
    env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    writablePaths: ['/var/run/postgresql'],
    probeCommand: ['pg_isready', '-h', '127.0.0.1'],
    requiredSecrets: [['POSTGRES_PASSWORD']],
    replication: 'a CloudNativePG Cluster (or a managed PostgreSQL)',
  }),
  mysql: () => ({
    name: 'MySQL (official image)',
    ...mysqlLayout('/var/run/mysqld', 'mysqladmin'),
    // the secure-file-priv directory
    writablePaths: ['/var/run/mysqld', '/var/lib/mysql-files'],
    requiredSecrets: [
      [
        'MYSQL_ROOT_PASSWORD',
        'MYSQL_RANDOM_ROOT_PASSWORD',
        'MYSQL_ALLOW_EMPTY_PASSWORD',
      ],
    ],
    replication:
      'a MySQL operator InnoDB Cluster (or a managed MySQL): group replication is not configured by the image',
  }),
  mariadb: () => ({
    name: 'MariaDB (official image)',
    ...mysqlLayout('/run/mysqld', 'mariadb-admin'),
    requiredSecrets: [
      [
        'MARIADB_ROOT_PASSWORD',
        'MYSQL_ROOT_PASSWORD',
        'MARIADB_RANDOM_ROOT_PASSWORD',
        'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
      ],
    ],
    replication:
      'the MariaDB operator (or a managed MariaDB): replication is not configured by the image',
  }),
  mongo: () => ({
    name: 'MongoDB (official image)',
    ...runsAs(999),
    dataPath: '/data/db',
    writablePaths: ['/data/configdb'],
    probeCommand: ['mongosh', '--quiet', '--eval', "db.adminCommand('ping')"],
    replication:
      'a replica set (the MongoDB Community operator, or a managed MongoDB)',
  }),
  redis: () => ({
    name: 'Redis (official image)',
    ...redisLayout('redis-cli'),
    replication:
      'Redis replication with Sentinel (a Redis operator), or a managed Redis',
  }),
  'valkey/valkey': () => ({
    name: 'Valkey (official image)',
    ...redisLayout('valkey-cli'),
    replication: 'Valkey replication with Sentinel, or a managed Valkey',
  }),
  'elasticsearch/elasticsearch': () => ({
    name: 'Elasticsearch (Elastic image)',
    // the keystore and the security auto-configuration are written into
    // its config directory
    ...elasticsearchLayout('/usr/share/elasticsearch'),
    replication:
      'an ECK Elasticsearch resource (discovery and cluster formation), or a managed Elasticsearch',
  }),
  'opensearchproject/opensearch': () => ({
    name: 'OpenSearch (project image)',
    // the security plugin writes its configuration into its config
    // directory at first start
    ...elasticsearchLayout('/usr/share/opensearch'),
    requiredSecrets: [['OPENSEARCH_INITIAL_ADMIN_PASSWORD']],
    replication:
      'the OpenSearch operator (discovery and cluster formation), or a managed OpenSearch',
  }),
  rabbitmq: () => ({
    name: 'RabbitMQ (official image)',
    ...runsAs(999),
    dataPath: '/var/lib/rabbitmq',
    writablePaths: ['/var/log/rabbitmq'],
    // the entrypoint writes configuration there from the environment
    seededPaths: ['/etc/rabbitmq'],
    probeCommand: ['rabbitmq-diagnostics', '-q', 'ping'],
    replication:
      'a RabbitmqCluster of the RabbitMQ cluster operator (peer discovery, quorum queues)',
  }),
  'apache/kafka': () => ({
    name: 'Apache Kafka (project image)',
    ...runsAs(1000),
    dataPath: '/var/lib/kafka/data',
    // the image's default log directory is under /tmp: lost on restart
    env: { KAFKA_LOG_DIRS: '/var/lib/kafka/data' },
    writablePaths: ['/opt/kafka/logs'],
    // the entrypoint writes server.properties there from the environment
    seededPaths: ['/opt/kafka/config'],
    replication:
      'a Strimzi Kafka resource in KRaft mode (controller quorum voters), or a managed Kafka',
  }),
};

/** The repository and tag of an image reference, without registry and digest. */
function repositoryOf(image: string): { path: string[]; tag: string } {
  const named = image.split('@')[0];
  const segments = named.split('/');
  // a first segment with a dot, a colon or `localhost` is a registry
  if (
    segments.length > 1 &&
    (/[.:]/.test(segments[0]) || segments[0] === 'localhost')
  ) {
    segments.shift();
  }
  const last = segments[segments.length - 1];
  const colon = last.indexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : '';
  segments[segments.length - 1] = colon >= 0 ? last.slice(0, colon) : last;
  if (segments[0] === 'library') segments.shift();
  return { path: segments, tag };
}

/** The well-known profile of a prebuilt image, if it has one. */
export function wellKnownImageProfile(image: string): ImageProfile | undefined {
  const { path, tag } = repositoryOf(image);
  const key =
    path.length === 1 ? path[0] : path.slice(-2).join('/').toLowerCase();
  const profile = WELL_KNOWN[key]?.(tag);
  if (!profile) return undefined;
  return {
    ...profile,
    source: 'well-known',
    env: profile.env ?? {},
    writablePaths: profile.writablePaths ?? [],
    seededPaths: profile.seededPaths ?? [],
    requiredSecrets: profile.requiredSecrets ?? [],
    // every well-known image runs with a read-only root (seededPaths and
    // writablePaths make its writes work)
    readOnlyRootFilesystem: profile.readOnlyRootFilesystem ?? true,
  };
}

/**
 * The profile of a service's image: what the spec declares (imageProfile),
 * else the well-known profile of its prebuilt image; undefined for the images
 * this package builds and for prebuilt images nobody described (the plan
 * asks about those, see planQuestions).
 */
export function imageProfileOf(service: Service): ImageProfile | undefined {
  if (!service.image) return undefined;
  const known = wellKnownImageProfile(service.image);
  const declared = service.imageProfile;
  if (!declared) return known;
  const user = declared.user;
  return {
    name: `${service.image} (declared in the spec)`,
    source: 'spec',
    user,
    group: declared.group ?? known?.group ?? user,
    fsGroup: declared.fsGroup ?? known?.fsGroup ?? declared.group ?? user,
    dataPath: declared.dataPath ?? known?.dataPath,
    env: { ...known?.env, ...declared.env },
    writablePaths: declared.writablePaths ?? known?.writablePaths ?? [],
    seededPaths: known?.seededPaths ?? [],
    singleReplicaEnv: known?.singleReplicaEnv,
    readOnlyRootFilesystem:
      declared.readOnlyRootFilesystem ?? known?.readOnlyRootFilesystem ?? true,
    readOnlyRootReason:
      declared.readOnlyRootFilesystem === false
        ? 'declared in the spec (imageProfile.readOnlyRootFilesystem: false)'
        : known?.readOnlyRootReason,
    probeCommand: declared.probeCommand ?? known?.probeCommand,
    requiredSecrets: known?.requiredSecrets ?? [],
    replication: declared.clustered ? undefined : known?.replication,
  };
}
