import { Entity } from '@backstage/catalog-model';
import {
  createPackageFileResolver,
  joinPath,
  resolveRepositoryUrl,
} from './fileLinks';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
  };
}

describe('joinPath', () => {
  it('joins and normalizes', () => {
    expect(joinPath('./deployment/', '.', 'helm/shop/values.yaml')).toBe(
      'deployment/helm/shop/values.yaml',
    );
    expect(joinPath('a/b/', '../c', './d')).toBe('a/c/d');
    expect(joinPath('', '.', 'README.md')).toBe('README.md');
    expect(joinPath('/srv/repo/', 'x/../y')).toBe('/srv/repo/y');
    expect(joinPath('../shared/', 'f.yaml')).toBe('../shared/f.yaml');
  });
});

describe('resolveRepositoryUrl', () => {
  it('resolves under a folder URL with or without a trailing slash', () => {
    expect(
      resolveRepositoryUrl(
        'deploy/a.yaml',
        'https://github.com/acme/shop/tree/main',
        'folder',
      ),
    ).toBe('https://github.com/acme/shop/tree/main/deploy/a.yaml');
    expect(
      resolveRepositoryUrl(
        'deploy/a.yaml',
        'https://github.com/acme/shop/tree/main/',
        'folder',
      ),
    ).toBe('https://github.com/acme/shop/tree/main/deploy/a.yaml');
  });

  it('resolves next to a file URL', () => {
    expect(
      resolveRepositoryUrl(
        'deploy/a.yaml',
        'https://github.com/acme/shop/blob/main/catalog-info.yaml',
        'file',
      ),
    ).toBe('https://github.com/acme/shop/blob/main/deploy/a.yaml');
  });

  it('keeps Azure DevOps paths in the query', () => {
    const href = resolveRepositoryUrl(
      'deploy/a.yaml',
      'https://dev.azure.com/acme/shop/_git/shop?path=/services/shop&version=GBmain',
      'folder',
    );
    const url = new URL(href!);
    expect(url.searchParams.get('path')).toBe('/services/shop/deploy/a.yaml');
    expect(url.searchParams.get('version')).toBe('GBmain');
  });

  it('gives no link for something that is not a URL', () => {
    expect(
      resolveRepositoryUrl('a.yaml', 'not a url', 'folder'),
    ).toBeUndefined();
  });
});

describe('createPackageFileResolver', () => {
  it('joins the source location, the report folder, the package root and the file', () => {
    const resolve = createPackageFileResolver(
      entity({
        'backstage.io/source-location':
          'url:https://github.com/acme/shop/tree/main/',
        'cloud-native.backstage.io/report':
          './deployment/deployment-report.yaml',
      }),
      '.',
    );
    expect(resolve('helm/shop/values.yaml')).toEqual({
      file: 'helm/shop/values.yaml',
      path: 'deployment/helm/shop/values.yaml',
      href: 'https://github.com/acme/shop/tree/main/deployment/helm/shop/values.yaml',
    });
  });

  it('honours a package root other than the report folder', () => {
    const resolve = createPackageFileResolver(
      entity({
        'backstage.io/source-location':
          'url:https://gitlab.com/acme/shop/-/tree/main/',
        'cloud-native.backstage.io/report': 'reports/deployment-report.yaml',
      }),
      '../package',
    );
    expect(resolve('README.md').href).toBe(
      'https://gitlab.com/acme/shop/-/tree/main/package/README.md',
    );
  });

  it('gives local paths and no links for file: locations', () => {
    const resolve = createPackageFileResolver(
      entity({
        'backstage.io/source-location': 'file:/srv/repos/shop/',
        'cloud-native.backstage.io/report':
          './deployment/deployment-report.yaml',
      }),
    );
    expect(resolve('docs/DEPLOYMENT.md')).toEqual({
      file: 'docs/DEPLOYMENT.md',
      path: '/srv/repos/shop/deployment/docs/DEPLOYMENT.md',
    });
  });

  it('falls back to the catalog-info location without a source location', () => {
    expect(
      createPackageFileResolver(
        entity({
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/shop/blob/main/catalog-info.yaml',
          'cloud-native.backstage.io/report':
            './deployment/deployment-report.yaml',
        }),
      )('a.yaml').href,
    ).toBe('https://github.com/acme/shop/blob/main/deployment/a.yaml');
    expect(
      createPackageFileResolver(
        entity({
          'backstage.io/managed-by-location':
            'file:/work/examples/shop/catalog-info.yaml',
          'cloud-native.backstage.io/report':
            './package/deployment-report.yaml',
        }),
      )('a.yaml'),
    ).toEqual({ file: 'a.yaml', path: '/work/examples/shop/package/a.yaml' });
  });

  it('links next to a report given as an absolute URL', () => {
    const resolve = createPackageFileResolver(
      entity({
        'cloud-native.backstage.io/report':
          'https://github.com/acme/deployments/blob/main/shop/deployment-report.yaml',
      }),
    );
    expect(resolve('helm/shop/Chart.yaml').href).toBe(
      'https://github.com/acme/deployments/blob/main/shop/helm/shop/Chart.yaml',
    );
  });

  it('gives a relative path without any location', () => {
    expect(
      createPackageFileResolver(
        entity({
          'cloud-native.backstage.io/report': 'deployment-report.yaml',
        }),
      )('a.yaml'),
    ).toEqual({ file: 'a.yaml', path: 'a.yaml' });
  });
});
