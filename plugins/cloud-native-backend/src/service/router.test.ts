import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { NO_DRIFT } from '@internal/backstage-plugin-cloud-native-common';
import {
  cloudNativeReportReadPermission,
  cloudNativeReportRevalidatePermission,
} from '@internal/backstage-plugin-cloud-native-common';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DatabaseReportStore } from '../database';
import { cloudNativePlugin } from '../plugin';

jest.setTimeout(120_000);

const EXAMPLE_PACKAGE = path.resolve(
  __dirname,
  '../../../../examples/web-app-t1/package',
);
const REPORT_ANNOTATION = './deployment/deployment-report.yaml';
const REMOTE_CATALOG_FILE =
  'https://git.example.com/org/guestbook/blob/main/catalog-info.yaml';
const REMOTE_REPORT =
  'https://git.example.com/org/guestbook/blob/main/deployment/deployment-report.yaml';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let tmp: string;
let exampleReportText: string;

function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex');
}

function component(
  name: string,
  annotations: Record<string, string | undefined>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: Object.fromEntries(
        Object.entries(annotations).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
  };
}

/** An entity registered from `<tmp>/<name>/catalog-info.yaml`. */
function localComponent(name: string, report: string | undefined) {
  return component(name, {
    'backstage.io/managed-by-location': `file:${path.join(
      tmp,
      name,
      'catalog-info.yaml',
    )}`,
    'cloud-native.backstage.io/report': report,
  });
}

/** A folder with a copy of the example package as `deployment/`. */
async function checkout(name: string) {
  const dir = path.join(tmp, name);
  await fs.mkdir(dir, { recursive: true });
  await fs.cp(EXAMPLE_PACKAGE, path.join(dir, 'deployment'), {
    recursive: true,
  });
  return dir;
}

/** Every file below `dir`, relative, with forward slashes. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const result: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      result.push(...(await listFiles(dir, relative)));
    } else {
      result.push(relative);
    }
  }
  return result;
}

const entities = () => [
  localComponent('guestbook', REPORT_ANNOTATION),
  localComponent('edited', REPORT_ANNOTATION),
  localComponent('overridden', REPORT_ANNOTATION),
  localComponent('no-spec', REPORT_ANNOTATION),
  localComponent('missing-keys', REPORT_ANNOTATION),
  localComponent('broken-yaml', REPORT_ANNOTATION),
  localComponent('aliases', REPORT_ANNOTATION),
  localComponent('missing-file', REPORT_ANNOTATION),
  localComponent('symlinked', REPORT_ANNOTATION),
  localComponent('no-annotation', undefined),
  localComponent('traversal', '../../etc/passwd'),
  component('remote', {
    'backstage.io/managed-by-location': `url:${REMOTE_CATALOG_FILE}`,
    'cloud-native.backstage.io/report': REPORT_ANNOTATION,
  }),
  component('elsewhere', {
    'backstage.io/managed-by-location': `url:${REMOTE_CATALOG_FILE}`,
    'cloud-native.backstage.io/report':
      'https://evil.example.com/deployment-report.yaml',
  }),
];

beforeAll(async () => {
  tmp = await fs.realpath(
    await fs.mkdtemp(path.join(os.tmpdir(), 'cloud-native-backend-')),
  );
  exampleReportText = await fs.readFile(
    path.join(EXAMPLE_PACKAGE, 'deployment-report.yaml'),
    'utf8',
  );
  await checkout('guestbook');
  await checkout('edited');
  const noSpec = await checkout('no-spec');
  await fs.rm(path.join(noSpec, 'deployment', 'architecture.yaml'));

  const report = (name: string, text: string) =>
    fs
      .mkdir(path.join(tmp, name, 'deployment'), { recursive: true })
      .then(() =>
        fs.writeFile(
          path.join(tmp, name, 'deployment', 'deployment-report.yaml'),
          text,
        ),
      );
  await report(
    'missing-keys',
    'apiVersion: cloud-native.backstage.io/v1alpha1\nkind: DeploymentReport\nmetadata:\n  name: guestbook\n',
  );
  await report('broken-yaml', 'metadata: [unclosed\n  name: x\n');
  await report(
    'aliases',
    `${exampleReportText}\nextra: &anchor [1, 2]\nmore: *anchor\n`,
  );
  await fs.mkdir(path.join(tmp, 'missing-file'));
  // a valid report outside the entity's folder, reached through a link inside
  await fs.writeFile(path.join(tmp, 'outside.yaml'), exampleReportText);
  await fs.mkdir(path.join(tmp, 'symlinked', 'deployment'), {
    recursive: true,
  });
  await fs.symlink(
    path.join(tmp, 'outside.yaml'),
    path.join(tmp, 'symlinked', 'deployment', 'deployment-report.yaml'),
  );
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function startBackend(
  options: {
    permissions?: ReturnType<typeof mockServices.permissions.mock>;
    urlReader?: ReturnType<typeof mockServices.urlReader.mock>;
    catalog?: ReturnType<typeof catalogServiceMock.mock>;
    config?: Record<string, unknown>;
  } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      cloudNativePlugin,
      mockServices.database.factory({ knex }),
      ...(options.config
        ? [mockServices.rootConfig.factory({ data: options.config as any })]
        : []),
      options.catalog?.factory ??
        catalogServiceMock.factory({ entities: entities() }),
      ...(options.permissions ? [options.permissions.factory] : []),
      ...(options.urlReader ? [options.urlReader.factory] : []),
    ],
  });
  return server;
}

const api = '/api/cloud-native/entities/default/component';

describe('GET /entities/:namespace/:kind/:name/report', () => {
  it('returns the report and records it in the history once', async () => {
    const server = await startBackend();

    const response = await request(server).get(`${api}/guestbook/report`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/guestbook',
      location: `file:${path.join(
        tmp,
        'guestbook',
        'deployment',
        'deployment-report.yaml',
      )}`,
      fetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      report: expect.objectContaining({
        kind: 'DeploymentReport',
        metadata: expect.objectContaining({ name: 'guestbook' }),
        estimated_costs: expect.objectContaining({ monthly: 160.49 }),
      }),
    });

    // a second read (served from the cache) adds nothing
    await request(server).get(`${api}/guestbook/report`).expect(200);
    const history = await request(server).get(`${api}/guestbook/history`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      items: [
        {
          id: expect.any(Number),
          recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          specDigest: response.body.report.metadata.specDigest,
          reportDigest: sha256(exampleReportText),
          validationStatus: 'pass',
          errors: 0,
          warnings: 0,
          monthlyCost: 160.49,
        },
      ],
    });
  });

  it('reads the entity with the caller credentials and checks the read permission', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () =>
        localComponent('guestbook', REPORT_ANNOTATION),
      ),
    });
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: AuthorizeResult.ALLOW }]),
    });
    const server = await startBackend({ catalog, permissions });

    await request(server)
      .get(`${api}/guestbook/report`)
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .expect(200);

    const credentials = expect.objectContaining({
      principal: { type: 'user', userEntityRef: 'user:default/alice' },
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/guestbook',
      { credentials },
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: cloudNativeReportReadPermission,
          resourceRef: 'component:default/guestbook',
        },
      ],
      { credentials },
    );
  });

  it('answers 401 without credentials', async () => {
    const server = await startBackend();
    for (const [method, route] of [
      ['get', 'report'],
      ['get', 'history'],
      ['post', 'revalidate'],
    ] as const) {
      const response = await request(server)
        [method](`${api}/guestbook/${route}`)
        .set('Authorization', mockCredentials.none.header());
      expect(response.status).toBe(401);
    }
  });

  it('answers 403 when the read permission is denied', async () => {
    const server = await startBackend({
      permissions: mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.DENY }],
      }),
    });
    for (const route of ['report', 'history']) {
      const response = await request(server).get(`${api}/guestbook/${route}`);
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    }
  });

  it.each([
    {
      answer: '404 for an unknown entity',
      entity: 'nobody',
      status: 404,
      error: {
        name: 'NotFoundError',
        message: 'No entity component:default/nobody',
      },
    },
    {
      answer: '404 naming the annotation for an entity without it',
      entity: 'no-annotation',
      status: 404,
      error: {
        message: expect.stringContaining('cloud-native.backstage.io/report'),
      },
    },
    {
      answer: '404 when the report file does not exist',
      entity: 'missing-file',
      status: 404,
      error: {
        message: expect.stringContaining('Deployment report not found'),
      },
    },
    {
      answer: '422 for YAML aliases',
      entity: 'aliases',
      status: 422,
      error: { message: expect.stringContaining('aliases are not allowed') },
    },
    {
      answer: '400 for a report path that leaves the entity folder',
      entity: 'traversal',
      status: 400,
      error: {
        name: 'InputError',
        message: expect.stringContaining('../../etc/passwd'),
      },
    },
    {
      answer: '400 for a symbolic link that leaves the entity folder',
      entity: 'symlinked',
      status: 400,
      error: { message: expect.stringContaining('symbolic link') },
    },
  ])('answers $answer', async ({ entity, status, error }) => {
    const server = await startBackend();
    const response = await request(server).get(`${api}/${entity}/report`);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject(error);
  });

  it('answers 422 with field paths for a report missing keys', async () => {
    const server = await startBackend();
    const response = await request(server).get(`${api}/missing-keys/report`);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: {
        name: 'UnprocessableReportError',
        message: expect.stringContaining('metadata.engineVersion'),
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'metadata.specDigest' }),
          expect.objectContaining({ path: 'deployment_strategy' }),
        ]),
      },
      response: { statusCode: 422 },
    });
    // nothing malformed is recorded
    const history = await request(server).get(`${api}/missing-keys/history`);
    expect(history.body).toEqual({ items: [] });
  });

  it('answers 422 with the line for broken YAML', async () => {
    const server = await startBackend();
    const response = await request(server).get(`${api}/broken-yaml/report`);
    expect(response.status).toBe(422);
    expect(response.body.error.name).toBe('UnprocessableReportError');
    expect(response.body.error.issues[0].path).toMatch(
      /^line \d+, column \d+$/,
    );
  });

  it('answers 400 for an absolute URL to another host', async () => {
    const urlReader = mockServices.urlReader.mock();
    const server = await startBackend({ urlReader });
    const response = await request(server).get(`${api}/elsewhere/report`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('evil.example.com');
    expect(urlReader.readUrl).not.toHaveBeenCalled();
  });

  it('answers 400 for invalid entity ref parts', async () => {
    const server = await startBackend();
    for (const route of [
      '/api/cloud-native/entities/default/bad%20kind/guestbook/report',
      `/api/cloud-native/entities/default/component/${'x'.repeat(70)}/report`,
      '/api/cloud-native/entities/no_under_scores/component/guestbook/history',
    ]) {
      const response = await request(server).get(route);
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    }
  });

  it('reads url: locations through the UrlReader', async () => {
    const urlReader = mockServices.urlReader.mock({
      readUrl: jest.fn(async () => ({
        buffer: async () => Buffer.from(exampleReportText),
        etag: 'abc',
      })),
    });
    const server = await startBackend({ urlReader });
    const response = await request(server).get(`${api}/remote/report`);
    expect(response.status).toBe(200);
    expect(response.body.location).toBe(`url:${REMOTE_REPORT}`);
    expect(urlReader.readUrl).toHaveBeenCalledWith(REMOTE_REPORT, {
      etag: undefined,
      signal: expect.any(AbortSignal),
    });
    // served from the cache within the TTL
    await request(server).get(`${api}/remote/report`).expect(200);
    expect(urlReader.readUrl).toHaveBeenCalledTimes(1);
  });

  /** A UrlReader whose every read fails with `error`. */
  const failingUrlReader = (error: Error) =>
    mockServices.urlReader.mock({
      readUrl: async () => {
        throw error;
      },
    });

  it('answers 404 when the UrlReader does not find the report', async () => {
    const server = await startBackend({
      urlReader: failingUrlReader(new NotFoundError('no such file')),
    });
    const response = await request(server).get(`${api}/remote/report`);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain(REMOTE_REPORT);
  });

  it('answers 502 with a message when the UrlReader fails', async () => {
    const server = await startBackend({
      urlReader: failingUrlReader(new Error('connect ECONNREFUSED')),
    });
    const response = await request(server).get(`${api}/remote/report`);
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      error: {
        name: 'ReportSourceError',
        message: expect.stringContaining(REMOTE_REPORT),
      },
      response: { statusCode: 502 },
    });
    expect(response.body.error.message).toContain('ECONNREFUSED');
  });
});

describe('POST /entities/:namespace/:kind/:name/revalidate', () => {
  it('finds no drift in an untouched package', async () => {
    const server = await startBackend();
    const response = await request(server).post(`${api}/guestbook/revalidate`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/guestbook',
      validatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      validationStatus: 'pass',
      results: expect.objectContaining({
        container_build: 'pass',
        kubernetes_manifests: 'pass',
      }),
      findings: [],
      estimatedCosts: expect.objectContaining({ monthly: 160.49 }),
      drift: NO_DRIFT,
    });
    // the report in the repository, then the revalidated one (newest first)
    const history = await request(server).get(`${api}/guestbook/history`);
    const items = history.body.items;
    expect(items[items.length - 1].reportDigest).toBe(
      sha256(exampleReportText),
    );
    expect(items[0]).toMatchObject({
      specDigest: items[items.length - 1].specDigest,
      validationStatus: 'pass',
      monthlyCost: 160.49,
    });
  });

  it('reports drift after the package was edited', async () => {
    const server = await startBackend();
    const pkg = path.join(tmp, 'edited', 'deployment');
    const web = path.join(pkg, 'kubernetes', 'dev', 'web.yaml');
    const manifest = await fs.readFile(web, 'utf8');
    // memory limit below the request: a BROKEN rule, an error at every tier
    const edited = manifest.replace(
      /limits:\n(\s+)cpu: 400m\n(\s+)memory: 128Mi/,
      'limits:\n$1cpu: 400m\n$2memory: 64Mi',
    );
    expect(edited).not.toBe(manifest);
    await fs.writeFile(web, edited);
    await fs.writeFile(path.join(pkg, 'NOTES.md'), '# notes\n');
    await fs.rm(path.join(pkg, 'docs', 'TROUBLESHOOTING.md'));

    const response = await request(server).post(`${api}/edited/revalidate`);
    expect(response.status).toBe(200);
    expect(response.body.drift).toEqual({
      filesAdded: ['NOTES.md'],
      filesRemoved: ['docs/TROUBLESHOOTING.md'],
      filesModified: ['kubernetes/dev/web.yaml'],
      validationChanged: true,
      costDelta: 0,
    });
    expect(response.body.validationStatus).toBe('fail');
    expect(response.body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'error',
          file: 'kubernetes/dev/web.yaml',
        }),
      ]),
    );

    // the failing result joins the history, newest first
    const history = await request(server).get(`${api}/edited/history`);
    expect(history.body.items[0]).toMatchObject({ validationStatus: 'fail' });
    expect(history.body.items[0].errors).toBeGreaterThan(0);
  });

  it('applies the policy severity overrides of app-config, as the scaffolder does', async () => {
    const web = path.join(
      await checkout('overridden'),
      'deployment',
      'kubernetes',
      'dev',
      'web.yaml',
    );
    const manifest = await fs.readFile(web, 'utf8');
    await fs.writeFile(
      web,
      manifest.replace(
        /limits:\n(\s+)cpu: 400m\n(\s+)memory: 128Mi/,
        'limits:\n$1cpu: 400m\n$2memory: 64Mi',
      ),
    );
    const ruleIds = async (config?: Record<string, unknown>) => {
      const server = await startBackend({ config });
      const response = await request(server).post(
        `${api}/overridden/revalidate`,
      );
      expect(response.status).toBe(200);
      return response.body.findings.map((f: { ruleId: string }) => f.ruleId);
    };
    const rule = 'policy/limits-not-below-requests';
    expect(await ruleIds()).toContain(rule);
    expect(
      await ruleIds({
        cloudNative: {
          policy: { severityOverrides: { 'limits-not-below-requests': 'off' } },
        },
      }),
    ).not.toContain(rule);
  });

  it('reads url: packages with readTree', async () => {
    const files = await listFiles(EXAMPLE_PACKAGE);
    const urlReader = mockServices.urlReader.mock({
      readUrl: async () => ({
        buffer: async () => Buffer.from(exampleReportText),
      }),
      readTree: jest.fn(async () => ({
        files: async () =>
          files.map(file => ({
            path: file,
            content: () => fs.readFile(path.join(EXAMPLE_PACKAGE, file)),
          })),
        archive: async () => {
          throw new Error('not used');
        },
        dir: async () => {
          throw new Error('not used');
        },
        etag: 'tree',
      })),
    });
    const server = await startBackend({ urlReader });
    const response = await request(server).post(`${api}/remote/revalidate`);
    expect(response.status).toBe(200);
    expect(urlReader.readTree).toHaveBeenCalledWith(
      'https://git.example.com/org/guestbook/blob/main/deployment/',
    );
    expect(response.body.drift).toEqual(NO_DRIFT);
  });

  it('answers 422 when the package has no architecture.yaml', async () => {
    const server = await startBackend();
    const response = await request(server).post(`${api}/no-spec/revalidate`);
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual([
      { path: 'architecture.yaml', message: 'missing from the package root' },
    ]);
  });

  it('answers 403 when the revalidate permission is denied', async () => {
    const authorize = jest.fn(async (requests: any[]) =>
      requests.map(r => ({
        result:
          r.permission.name === cloudNativeReportRevalidatePermission.name
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    );
    const server = await startBackend({
      permissions: mockServices.permissions.mock({ authorize }),
    });
    await request(server).get(`${api}/guestbook/report`).expect(200);
    const response = await request(server).post(`${api}/guestbook/revalidate`);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'cloud-native.report.revalidate',
    );
  });
});

describe('per-request work under load', () => {
  const alice = mockCredentials.user.header('user:default/alice');
  const bob = mockCredentials.user.header('user:default/bob');

  /** GETs the guestbook report as `caller` and expects `status`. */
  const getReportAs = (
    server: Awaited<ReturnType<typeof startBackend>>,
    caller: string,
    status: number,
  ) =>
    request(server)
      .get(`${api}/guestbook/report`)
      .set('Authorization', caller)
      .expect(status);

  function mocks() {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () =>
        localComponent('guestbook', REPORT_ANNOTATION),
      ),
    });
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: AuthorizeResult.ALLOW }]),
    });
    return { catalog, permissions };
  }

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reuses the catalog answer for the same token only, and checks the permission every time', async () => {
    const { catalog, permissions } = mocks();
    const server = await startBackend({ catalog, permissions });

    await Promise.all([1, 2, 3].map(() => getReportAs(server, alice, 200)));
    await request(server)
      .get(`${api}/guestbook/history`)
      .set('Authorization', alice)
      .expect(200);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledTimes(4);

    // another caller: the catalog decides with their credentials
    await getReportAs(server, bob, 200);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/guestbook',
      {
        credentials: expect.objectContaining({
          principal: { type: 'user', userEntityRef: 'user:default/bob' },
        }),
      },
    );

    // a permission denied now is denied now, whatever is cached
    permissions.authorize.mockImplementation(async () => [
      { result: AuthorizeResult.DENY },
    ]);
    await getReportAs(server, alice, 403);

    // revalidation always asks the catalog
    permissions.authorize.mockImplementation(async () => [
      { result: AuthorizeResult.ALLOW },
    ]);
    await request(server)
      .post(`${api}/guestbook/revalidate`)
      .set('Authorization', alice)
      .expect(200);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('does not keep entities the catalog does not show', async () => {
    const { catalog, permissions } = mocks();
    catalog.getEntityByRef.mockImplementationOnce(async () => undefined);
    const server = await startBackend({ catalog, permissions });
    await getReportAs(server, alice, 404);
    await getReportAs(server, alice, 200);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('asks the catalog on every request when entityCacheTtlSeconds is 0', async () => {
    const { catalog, permissions } = mocks();
    const server = await startBackend({
      catalog,
      permissions,
      config: { cloudNative: { reports: { entityCacheTtlSeconds: 0 } } },
    });
    for (let i = 0; i < 3; i++) {
      await getReportAs(server, alice, 200);
    }
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('writes a report to the history once, not on every read', async () => {
    const recordReport = jest.spyOn(
      DatabaseReportStore.prototype,
      'recordReport',
    );
    const server = await startBackend();
    const first = await request(server).get(`${api}/guestbook/report`);
    expect(first.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const again = await request(server).get(`${api}/guestbook/report`);
      expect(again.body).toEqual(first.body);
    }
    expect(recordReport).toHaveBeenCalledTimes(1);
    const history = await request(server).get(`${api}/guestbook/history`);
    expect(history.body.items).toHaveLength(1);
  });

  it('records the report again once the database is back after a failure', async () => {
    const recordReport = jest
      .spyOn(DatabaseReportStore.prototype, 'recordReport')
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    const server = await startBackend();
    await request(server).get(`${api}/guestbook/report`).expect(500);
    await request(server).get(`${api}/guestbook/report`).expect(200);
    await request(server).get(`${api}/guestbook/report`).expect(200);
    expect(recordReport).toHaveBeenCalledTimes(2);
    const history = await request(server).get(`${api}/guestbook/history`);
    expect(history.body.items).toHaveLength(1);
  });
});
