import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import path from 'node:path';
import { isInside, ReportLocator } from './ReportLocator';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'guestbook', annotations },
  };
}

const locator = (allowedLocalRoots?: string[]) =>
  ReportLocator.fromConfig(
    mockServices.rootConfig({
      data: allowedLocalRoots
        ? { cloudNative: { reports: { allowedLocalRoots } } }
        : {},
    }),
  );

const local = (
  report: string,
  catalogFile = '/repo/services/web/catalog-info.yaml',
) =>
  entity({
    'backstage.io/managed-by-location': `file:${catalogFile}`,
    'cloud-native.backstage.io/report': report,
  });

const remote = (report: string, location: Record<string, string> = {}) =>
  entity({
    'backstage.io/managed-by-location':
      'url:https://github.com/org/repo/blob/main/services/web/catalog-info.yaml',
    ...location,
    'cloud-native.backstage.io/report': report,
  });

describe('ReportLocator', () => {
  it('needs the report annotation', () => {
    expect(() =>
      locator().locate(
        entity({ 'backstage.io/managed-by-location': 'file:/repo/c.yaml' }),
      ),
    ).toThrow(NotFoundError);
    expect(() =>
      locator().locate(
        entity({ 'backstage.io/managed-by-location': 'file:/repo/c.yaml' }),
      ),
    ).toThrow(/cloud-native\.backstage\.io\/report/);
  });

  it('needs a source location', () => {
    expect(() =>
      locator().locate(
        entity({ 'cloud-native.backstage.io/report': './report.yaml' }),
      ),
    ).toThrow(InputError);
  });

  describe('file: locations', () => {
    it('resolves relative to the directory of the catalog file', () => {
      expect(
        locator().locate(local('./deployment/deployment-report.yaml')),
      ).toEqual({
        type: 'file',
        ref: 'file:/repo/services/web/deployment/deployment-report.yaml',
        path: '/repo/services/web/deployment/deployment-report.yaml',
        packageDir: '/repo/services/web/deployment',
        roots: ['/repo/services/web'],
      });
    });

    it.each([
      '../../etc/passwd',
      '../web2/deployment-report.yaml',
      '/etc/passwd',
      '.',
      './',
      'deployment/../../x.yaml',
      'file:/etc/passwd',
      'https://example.com/report.yaml',
      'a\\..\\..\\b',
      'report\u0000.yaml',
    ])('refuses %j', report => {
      expect(() => locator().locate(local(report))).toThrow(InputError);
    });

    it('accepts an absolute path inside the entity folder', () => {
      expect(
        locator().locate(local('/repo/services/web/deployment/report.yaml')),
      ).toMatchObject({ path: '/repo/services/web/deployment/report.yaml' });
    });

    it('lets a configured root that holds the entity widen the boundary', () => {
      const located = locator(['/repo']).locate(
        local('../../deploy/web/deployment-report.yaml'),
      );
      expect(located).toMatchObject({
        path: '/repo/deploy/web/deployment-report.yaml',
        roots: ['/repo/services/web', '/repo'],
      });
      // but never beyond the root
      expect(() =>
        locator(['/repo']).locate(local('../../../etc/passwd')),
      ).toThrow(InputError);
    });

    it('ignores configured roots that do not hold the entity', () => {
      expect(() =>
        locator(['/other']).locate(local('../../../other/report.yaml')),
      ).toThrow(InputError);
    });

    it('uses backstage.io/source-location as a directory', () => {
      expect(
        locator().locate(
          entity({
            'backstage.io/source-location': 'file:/repo/services/web',
            'backstage.io/managed-by-location': 'file:/elsewhere/c.yaml',
            'cloud-native.backstage.io/report': './report.yaml',
          }),
        ),
      ).toMatchObject({ path: '/repo/services/web/report.yaml' });
    });
  });

  describe('url: locations', () => {
    it('resolves relative to the directory of the catalog file', () => {
      expect(
        locator().locate(remote('./deployment/deployment-report.yaml')),
      ).toEqual({
        type: 'url',
        ref: 'url:https://github.com/org/repo/blob/main/services/web/deployment/deployment-report.yaml',
        url: 'https://github.com/org/repo/blob/main/services/web/deployment/deployment-report.yaml',
        packageUrl:
          'https://github.com/org/repo/blob/main/services/web/deployment/',
      });
    });

    it('treats source-location as a directory, with or without a slash', () => {
      for (const source of [
        'url:https://github.com/org/repo/tree/main/services/web',
        'url:https://github.com/org/repo/tree/main/services/web/',
      ]) {
        expect(
          locator().locate(
            remote('deployment-report.yaml', {
              'backstage.io/source-location': source,
            }),
          ),
        ).toMatchObject({
          url: 'https://github.com/org/repo/tree/main/services/web/deployment-report.yaml',
        });
      }
    });

    it.each([
      '../../etc/passwd',
      '../other/deployment-report.yaml',
      '/org/repo/blob/main/secrets.yaml',
      'https://evil.example.com/deployment-report.yaml',
      '//evil.example.com/deployment-report.yaml',
      'http://github.com/org/repo/blob/main/services/web/report.yaml',
      '%2e%2e/%2e%2e/secrets.yaml',
      '..%2F..%2Fsecrets.yaml',
      'report.yaml?ref=other-branch',
      'report.yaml#x',
      'deployment/',
    ])('refuses %j', report => {
      expect(() => locator().locate(remote(report))).toThrow(InputError);
    });

    it('accepts an absolute URL inside the entity folder', () => {
      const url =
        'https://github.com/org/repo/blob/main/services/web/report.yaml';
      expect(locator().locate(remote(url))).toMatchObject({ url });
    });

    it('refuses base locations with a query', () => {
      expect(() =>
        locator().locate(
          entity({
            'backstage.io/managed-by-location':
              'url:https://dev.azure.com/org/project/_git/repo?path=/catalog-info.yaml',
            'cloud-native.backstage.io/report': './report.yaml',
          }),
        ),
      ).toThrow(/query/);
    });
  });

  it('refuses other location types', () => {
    expect(() =>
      locator().locate(
        entity({
          'backstage.io/managed-by-location': 'bootstrap:bootstrap',
          'cloud-native.backstage.io/report': './report.yaml',
        }),
      ),
    ).toThrow(/not supported/);
  });
});

describe('isInside', () => {
  it('compares whole path segments', () => {
    expect(isInside('/repo', '/repo')).toBe(true);
    expect(isInside('/repo', '/repo/a/b')).toBe(true);
    expect(isInside('/repo', '/repo2/a')).toBe(false);
    expect(isInside('/repo', '/')).toBe(false);
    expect(isInside('/repo', path.join('/repo', '..foo'))).toBe(true);
  });
});
