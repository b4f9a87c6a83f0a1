import { parseAllDocuments } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import {
  examplePlan,
  exampleText,
  MULTI_CLOUD_SPEC,
  planFromText,
  withSpec,
} from '../cloud/__fixtures__/helpers';
import { namespaceObject } from '../../plan/namespace';
import { cloudKubernetesIntegrator } from '../cloud';
import {
  generateGitOps,
  gitOpsObjects,
  gitOpsValidators,
  validateGitOpsObject,
} from '.';

/** The paths the cloud skill writes for the plan: what the install order reads. */
function writtenPaths(plan: DeploymentPlan): string[] {
  const output = cloudKubernetesIntegrator.run({ plan, outputs: {} });
  return [...output.files, ...output.manifests].map(f => f.path);
}

const MARKETPLACE_TEXT = exampleText('marketplace-gke-t3');

/** One service, one environment: no Helm chart (manifests packaging). */
const SMALL_SPEC = (cloud: string, gitops: string, tier = 'T2') => `
apiVersion: cloud-native.backstage.io/v1alpha1
kind: Architecture
metadata:
  name: notes
spec:
  type: monolith
  cloud: ${cloud}
  tier: ${tier}
  environments: [prod]
  requirements: [cost]
  gitops: ${gitops}
  services:
    - { name: web, workload: service, language: node, port: 8080, expose: public, secrets: [DATABASE_URL] }
`;

function objectsOf(plan: DeploymentPlan) {
  return gitOpsObjects(plan, writtenPaths(plan)).flatMap(f =>
    f.objects.map(o => ({ file: f.path, object: o as any })),
  );
}

const applications = (plan: DeploymentPlan) =>
  objectsOf(plan)
    .filter(o => o.object.kind === 'Application')
    .map(o => o.object);

describe('generateGitOps', () => {
  it('writes nothing without spec.gitops', () => {
    expect(
      generateGitOps(
        examplePlan('shop-eks-t2'),
        writtenPaths(examplePlan('shop-eks-t2')),
      ),
    ).toEqual({
      files: [],
      manifests: [],
    });
  });

  it('Argo CD: one file per environment; one Application creates the labelled namespace and syncs the cloud objects in a wave before the chart', () => {
    const plan = examplePlan('marketplace-gke-t3');
    expect(plan.packaging).toBe('helm');
    const { files, manifests } = generateGitOps(plan, writtenPaths(plan));
    expect(manifests).toEqual([]);
    expect(files.map(f => f.path)).toEqual([
      'gitops/argocd/staging.yaml',
      'gitops/argocd/prod.yaml',
      'gitops/argocd/README.md',
    ]);
    const prod = objectsOf(plan).filter(
      o => o.file === 'gitops/argocd/prod.yaml',
    );
    expect(prod.map(o => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(
      ['AppProject/marketplace', 'Application/marketplace-prod'],
    );
    const [project, app] = prod.map(o => o.object);
    expect(app.spec.source).toBeUndefined();
    expect(app.spec.sources).toEqual([
      {
        repoURL: 'https://github.com/example/marketplace.git',
        targetRevision: 'main',
        path: 'cloud/gke/prod',
        kustomize: {
          commonAnnotations: { 'argocd.argoproj.io/sync-wave': '-1' },
        },
      },
      {
        repoURL: 'https://github.com/example/marketplace.git',
        targetRevision: 'main',
        path: 'helm/marketplace',
        helm: { releaseName: 'marketplace', valueFiles: ['values-prod.yaml'] },
      },
    ]);
    expect(app.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'marketplace',
    });
    const { metadata } = namespaceObject(plan, 'prod');
    expect(app.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      // the labels of namespace/prod: Pod Security, istio-injection
      managedNamespaceMetadata: { labels: metadata.labels },
      retry: {
        limit: 5,
        backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
      },
    });
    expect(
      app.spec.syncPolicy.managedNamespaceMetadata.labels['istio-injection'],
    ).toBe('enabled');
    expect(project.spec.sourceRepos).toEqual([app.spec.sources[0].repoURL]);
    expect(project.spec.destinations).toEqual([app.spec.destination]);
    expect(files[2].content).toContain('**placeholder**');
  });

  it.each([
    ['T1', false],
    ['T2', true],
    ['T3', true],
  ] as const)('Argo CD selfHeal at %s is %s', (tier, selfHeal) => {
    for (const plan of [
      planFromText(withSpec(MARKETPLACE_TEXT, { tier })),
      planFromText(SMALL_SPEC('aws', 'argocd', tier)),
    ]) {
      const apps = applications(plan);
      expect(apps.length).toBeGreaterThan(0);
      for (const app of apps) {
        expect(app.spec.syncPolicy.automated).toEqual({
          prune: true,
          selfHeal,
        });
      }
    }
  });

  it('Argo CD with manifests: the provider overlay on managed clusters, the manifests elsewhere', () => {
    const aws = planFromText(SMALL_SPEC('aws', 'argocd'));
    expect(aws.packaging).toBe('manifests');
    expect(applications(aws).map(a => a.spec.source.path)).toEqual([
      'kustomize/prod/overlays/eks',
    ]);
    // the overlay holds the Namespace: no namespace metadata of Argo CD's
    expect(
      applications(aws)[0].spec.syncPolicy.managedNamespaceMetadata,
    ).toBeUndefined();
    const agnostic = planFromText(SMALL_SPEC('platform-agnostic', 'argocd'));
    expect(applications(agnostic).map(a => a.spec.source.path)).toEqual([
      'kubernetes/prod',
    ]);
    expect(applications(agnostic)[0].spec.source.helm).toBeUndefined();
  });

  it('Flux, multi-cloud with a chart: a file per environment and provider, the GitRepository once', () => {
    const plan = planFromText(MULTI_CLOUD_SPEC);
    expect(plan.packaging).toBe('helm');
    const files = generateGitOps(plan, writtenPaths(plan)).files.map(
      f => f.path,
    );
    expect(files).toEqual([
      'gitops/flux/source.yaml',
      ...['staging', 'prod'].flatMap(env =>
        ['eks', 'gke', 'aks'].flatMap(provider => [
          `gitops/flux/${env}-${provider}.yaml`,
          `gitops/flux/releases/${env}-${provider}/helmrelease.yaml`,
        ]),
      ),
      'gitops/flux/README.md',
    ]);
    const prodGke = objectsOf(plan)
      .filter(o => o.file === 'gitops/flux/prod-gke.yaml')
      .map(o => o.object);
    // the install order: namespace → cloud objects → the HelmRelease
    expect(
      prodGke.map(o => [
        `${o.kind}/${o.metadata.name}`,
        o.spec.path,
        o.spec.dependsOn,
      ]),
    ).toEqual([
      [
        'Kustomization/travel-prod-gke-namespace',
        './namespace/prod',
        undefined,
      ],
      [
        'Kustomization/travel-prod-gke-cloud',
        './cloud/gke/prod',
        [{ name: 'travel-prod-gke-namespace' }],
      ],
      [
        'Kustomization/travel-prod-gke-release',
        './gitops/flux/releases/prod-gke',
        [{ name: 'travel-prod-gke-cloud' }],
      ],
    ]);
    const [namespace, cloud] = prodGke;
    expect(namespace.spec.prune).toBe(false);
    const [release] = objectsOf(plan)
      .filter(o => o.file === 'gitops/flux/releases/prod-gke/helmrelease.yaml')
      .map(o => o.object);
    expect(`${release.kind}/${release.metadata.name}`).toBe(
      'HelmRelease/travel-prod-gke',
    );
    // the namespace exists, labelled, before the release: never created by it
    expect(release.spec.install).toEqual({ remediation: { retries: 3 } });
    const shared = objectsOf(plan).filter(
      o => o.file === 'gitops/flux/source.yaml',
    );
    expect(
      shared.map(o => `${o.object.kind}/${o.object.metadata.name}`),
    ).toEqual(['GitRepository/travel']);
    const repo = shared[0].object;
    expect(repo.metadata.labels).not.toHaveProperty(
      'cloud-native.backstage.io/environment',
    );
    expect(
      objectsOf(plan).filter(o => o.object.kind === 'GitRepository'),
    ).toHaveLength(1);
    const readme = generateGitOps(plan, writtenPaths(plan)).files.find(
      f => f.path === 'gitops/flux/README.md',
    )!.content;
    expect(readme).toContain('kubectl apply -f gitops/flux/source.yaml');
    expect(readme).toContain('kubectl apply -f gitops/flux/prod-gke.yaml');
    expect(repo.spec).toMatchObject({
      url: 'https://github.com/example/travel.git',
      ref: { branch: 'main' },
    });
    expect(release.spec.chart.spec).toEqual({
      chart: './helm/travel',
      reconcileStrategy: 'Revision',
      sourceRef: {
        kind: 'GitRepository',
        name: 'travel',
        namespace: 'flux-system',
      },
      valuesFiles: [
        './helm/travel/values.yaml',
        './helm/travel/values-prod.yaml',
      ],
    });
    expect(release.spec.driftDetection).toEqual({ mode: 'enabled' });
    expect(release.spec.targetNamespace).toBe('travel');
    expect(cloud.spec).toMatchObject({
      path: './cloud/gke/prod',
      prune: true,
      wait: true,
      timeout: '5m',
    });
  });

  it('Flux with manifests: a Kustomization of the overlay; drift only reported at T1', () => {
    const plan = planFromText(SMALL_SPEC('azure', 'flux'));
    const objects = objectsOf(plan).map(o => o.object);
    expect(objects.map(o => o.kind)).toEqual([
      'GitRepository',
      'Kustomization',
    ]);
    expect(objects[1].spec).toEqual({
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
      path: './kustomize/prod/overlays/aks',
      prune: true,
      wait: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'notes',
        namespace: 'flux-system',
      },
    });
    const t1 = planFromText(
      withSpec(exampleText('marketplace-gke-t3'), {
        tier: 'T1',
        gitops: 'flux',
      }),
    );
    const release = objectsOf(t1).find(
      o => o.object.kind === 'HelmRelease',
    )!.object;
    expect(release.spec.driftDetection).toEqual({ mode: 'warn' });
  });

  it('Argo CD, multi-cloud: one hub, the AppProject once (project.yaml) listing every registered cluster', () => {
    const plan = planFromText(withSpec(MULTI_CLOUD_SPEC, { gitops: 'argocd' }));
    const { files } = generateGitOps(plan, writtenPaths(plan));
    expect(files.map(f => f.path)).toEqual([
      'gitops/argocd/project.yaml',
      'gitops/argocd/staging-eks.yaml',
      'gitops/argocd/staging-gke.yaml',
      'gitops/argocd/staging-aks.yaml',
      'gitops/argocd/prod-eks.yaml',
      'gitops/argocd/prod-gke.yaml',
      'gitops/argocd/prod-aks.yaml',
      'gitops/argocd/README.md',
    ]);
    const projects = objectsOf(plan).filter(
      o => o.object.kind === 'AppProject',
    );
    expect(projects.map(o => o.file)).toEqual(['gitops/argocd/project.yaml']);
    const clusters = [
      'travel-staging-eks',
      'travel-staging-gke',
      'travel-staging-aks',
      'travel-prod-eks',
      'travel-prod-gke',
      'travel-prod-aks',
    ];
    expect(projects[0].object.spec.destinations).toEqual(
      clusters.map(name => ({ name, namespace: 'travel' })),
    );
    expect(projects[0].object.metadata.labels).not.toHaveProperty(
      'cloud-native.backstage.io/environment',
    );
    const prodAks = objectsOf(plan).filter(
      o => o.file === 'gitops/argocd/prod-aks.yaml',
    );
    expect(
      prodAks.map(o => [
        o.object.metadata.name,
        o.object.spec.destination,
        o.object.spec.sources.map((x: any) => x.path),
      ]),
    ).toEqual([
      [
        'travel-prod-aks',
        { name: 'travel-prod-aks', namespace: 'travel' },
        ['cloud/aks/prod', 'helm/travel'],
      ],
    ]);
    // every Application deploys to a destination of its project
    for (const app of applications(plan)) {
      expect(projects[0].object.spec.destinations).toContainEqual(
        app.spec.destination,
      );
    }
    const readme = files.find(
      f => f.path === 'gitops/argocd/README.md',
    )!.content;
    expect(readme).toContain('--name travel-prod-aks');
    expect(readme).toContain(
      'kubectl apply -n argocd -f gitops/argocd/project.yaml',
    );
  });

  it('single-cloud Argo CD keeps the AppProject of its cluster in each environment file', () => {
    const plan = examplePlan('marketplace-gke-t3');
    const projects = objectsOf(plan).filter(
      o => o.object.kind === 'AppProject',
    );
    expect(projects.map(o => o.file)).toEqual([
      'gitops/argocd/staging.yaml',
      'gitops/argocd/prod.yaml',
    ]);
    expect(projects[0].object.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'marketplace' },
    ]);
  });

  it.each(['argocd', 'flux'])(
    '%s: names fit label values (63) and the Helm release name (53) for the longest names',
    gitops => {
      const name = `a${'b'.repeat(61)}z`;
      const environment = `e${'n'.repeat(61)}v`;
      const plan = planFromText(
        withSpec(MULTI_CLOUD_SPEC, {
          gitops,
          environments: `[${environment}]`,
        }).replace('name: travel', `name: ${name}`),
      );
      expect(plan.name).toHaveLength(63);
      const objects = objectsOf(plan).map(o => o.object);
      expect(objects.length).toBeGreaterThan(3);
      const names = objects.map(o => o.metadata.name as string);
      for (const objectName of names) {
        expect(objectName.length).toBeLessThanOrEqual(63);
        expect(objectName).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      }
      expect(new Set(names).size).toBe(names.length);
      const releases = objects
        .flatMap(o => [
          o.spec.releaseName,
          ...[o.spec.source, ...(o.spec.sources ?? [])].map(
            x => x?.helm?.releaseName,
          ),
        ])
        .filter(Boolean);
      expect(releases.length).toBeGreaterThan(0);
      for (const release of releases) {
        expect(release).toHaveLength(53);
        expect(release).toBe(releases[0]);
        expect(release.startsWith(name.slice(0, 40))).toBe(true);
      }
      for (const object of objects) {
        expect(validateGitOpsObject(object)).toEqual([]);
      }
    },
  );

  const ALL: Array<[string, DeploymentPlan]> = [
    ['marketplace argocd', examplePlan('marketplace-gke-t3')],
    [
      'marketplace flux',
      planFromText(withSpec(MARKETPLACE_TEXT, { gitops: 'flux' })),
    ],
    ['multi-cloud flux', planFromText(MULTI_CLOUD_SPEC)],
    [
      'multi-cloud argocd',
      planFromText(withSpec(MULTI_CLOUD_SPEC, { gitops: 'argocd' })),
    ],
    ['small aws argocd', planFromText(SMALL_SPEC('aws', 'argocd'))],
    ['small gcp flux', planFromText(SMALL_SPEC('gcp', 'flux', 'T1'))],
    ['agnostic flux', planFromText(SMALL_SPEC('platform-agnostic', 'flux'))],
  ];

  it.each(ALL)(
    '%s: every object passes the strict model, and the files hold them',
    (_, plan) => {
      const { files } = generateGitOps(plan, writtenPaths(plan));
      for (const file of gitOpsObjects(plan, writtenPaths(plan))) {
        for (const object of file.objects) {
          expect(validateGitOpsObject(object)).toEqual([]);
          expect(gitOpsValidators.objects[0].handles(object)).toBe(true);
        }
        const written = files.find(f => f.path === file.path)!;
        expect(parseAllDocuments(written.content).map(d => d.toJS())).toEqual(
          JSON.parse(JSON.stringify(file.objects)),
        );
      }
    },
  );

  describe('the strict models reject what the CRDs reject (the test can fail)', () => {
    const flux = objectsOf(planFromText(MULTI_CLOUD_SPEC)).map(o => o.object);
    const argo = objectsOf(examplePlan('marketplace-gke-t3')).map(
      o => o.object,
    );

    it.each<{
      change: string;
      from: any[];
      kind: string;
      edit: (object: any) => void;
      issue: { path?: string; message?: unknown };
    }>([
      {
        change: 'a misspelt Application field',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.syncPolicy.automated.selfHeel = true;
        },
        issue: { path: 'spec.syncPolicy.automated.selfHeel' },
      },
      {
        change: 'an unknown sync option',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.syncPolicy.syncOptions.push('CreateNamespaces=true');
        },
        issue: { message: expect.stringMatching(/expected one of/) },
      },
      {
        change: 'an Application without destination',
        from: argo,
        kind: 'Application',
        edit: app => {
          delete app.spec.destination;
        },
        issue: {
          path: 'spec.destination',
          message: 'required field is missing',
        },
      },
      {
        change: 'a retry backoff factor as a string',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.syncPolicy.retry.backoff.factor = '2';
        },
        issue: { message: expect.stringMatching(/expected integer/) },
      },
      {
        change: 'both spec.source and spec.sources',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.source = app.spec.sources[1];
        },
        issue: {
          message: expect.stringMatching(
            /exactly one of spec.source and spec.sources/,
          ),
        },
      },
      {
        change: 'server-side apply without namespace metadata',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.syncPolicy.syncOptions = ['ServerSideApply=true'];
        },
        issue: { path: 'spec.syncPolicy.managedNamespaceMetadata' },
      },
      {
        change: 'a sync wave as a number',
        from: argo,
        kind: 'Application',
        edit: app => {
          app.spec.sources[0].kustomize.commonAnnotations['sync-wave'] = -1;
        },
        issue: {
          path: 'spec.sources[0].kustomize.commonAnnotations.sync-wave',
        },
      },
      {
        change: 'a Kustomization without prune',
        from: flux,
        kind: 'Kustomization',
        edit: kustomization => {
          delete kustomization.spec.prune;
        },
        issue: { path: 'spec.prune', message: 'required field is missing' },
      },
      {
        change: 'an interval that is not a duration',
        from: flux,
        kind: 'Kustomization',
        edit: kustomization => {
          kustomization.spec.interval = '10 minutes';
        },
        issue: { path: 'spec.interval' },
      },
      {
        change: 'an unknown drift detection mode',
        from: flux,
        kind: 'HelmRelease',
        edit: release => {
          release.spec.driftDetection.mode = 'on';
        },
        issue: { path: 'spec.driftDetection.mode' },
      },
      {
        change: 'a HelmRelease without chart',
        from: flux,
        kind: 'HelmRelease',
        edit: release => {
          delete release.spec.chart;
        },
        issue: { message: expect.stringMatching(/chart/) },
      },
      {
        change: 'a GitRepository of an old API version',
        from: flux,
        kind: 'GitRepository',
        edit: repo => {
          repo.apiVersion = 'source.toolkit.fluxcd.io/v1beta2';
        },
        issue: { message: expect.stringMatching(/Unknown kind/) },
      },
    ])('rejects $change', ({ from, kind, edit, issue }) => {
      const object = structuredClone(from.find(o => o.kind === kind));
      edit(object);
      expect(validateGitOpsObject(object)).toEqual([
        expect.objectContaining(issue),
      ]);
    });
  });

  it('is deterministic', () => {
    for (const [, plan] of ALL) {
      expect(JSON.stringify(generateGitOps(plan, writtenPaths(plan)))).toBe(
        JSON.stringify(generateGitOps(plan, writtenPaths(plan))),
      );
    }
  });
});
