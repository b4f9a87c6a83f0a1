import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubernetesObject } from '../../core/types';
import {
  KubernetesSchemaValidator,
  SchemaFinding,
  createKubernetesSchemaValidator,
} from './index';
import { getEsmImportMode } from './esmLoader';
import { loadModelRegistry } from './registry';
import { loadClientNodeShapes } from './clientNodeStrict';
import { validateTracked, walkTracked } from './probeStrict';
import { formatPath, PathSegment } from './paths';

jest.setTimeout(60_000);

function loadFixture(file: string): KubernetesObject[] {
  const text = fs.readFileSync(
    path.join(__dirname, '__fixtures__', file),
    'utf8',
  );
  return parseAllDocuments(text).map(doc => doc.toJS() as KubernetesObject);
}

function fixture(file: string, kind: string, name?: string): KubernetesObject {
  const found = loadFixture(file).find(
    o => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (!found) {
    throw new Error(`no ${kind} ${name ?? ''} in ${file}`);
  }
  return found;
}

/** A deep copy with `mutate` applied. */
function variant(
  object: KubernetesObject,
  mutate: (o: any) => void,
): KubernetesObject {
  const copy = structuredClone(object);
  mutate(copy);
  return copy;
}

function summary(findings: SchemaFinding[]) {
  return findings.map(f => `${f.ruleId} ${f.objectPath}`);
}

const CORE_FILES = ['core-workloads.yaml', 'core-other.yaml'];
const CRD_FILE = 'crds.yaml';

/** The CRD kinds the validator models (the brief's list). */
const CRD_KINDS = [
  'argoproj.io/v1alpha1/Rollout',
  'argoproj.io/v1alpha1/AnalysisTemplate',
  'networking.istio.io/v1/VirtualService',
  'networking.istio.io/v1/DestinationRule',
  'networking.istio.io/v1/Gateway',
  'security.istio.io/v1/PeerAuthentication',
  'security.istio.io/v1/AuthorizationPolicy',
  'keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/ScaledJob',
  'karpenter.sh/v1/NodePool',
  'karpenter.k8s.aws/v1/EC2NodeClass',
  'gateway.networking.k8s.io/v1/Gateway',
  'gateway.networking.k8s.io/v1/HTTPRoute',
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'external-secrets.io/v1/ExternalSecret',
  'external-secrets.io/v1/SecretStore',
  'external-secrets.io/v1/ClusterSecretStore',
];

describe('createKubernetesSchemaValidator', () => {
  let validator: KubernetesSchemaValidator;

  beforeAll(async () => {
    validator = await createKubernetesSchemaValidator();
  });

  it('loads the ESM-only model packages', () => {
    // 'require-esm' under `backstage-cli package test` (no
    // --experimental-vm-modules), 'native' elsewhere
    expect(['native', 'require-esm']).toContain(getEsmImportMode());
  });

  it('lists the supported kinds', () => {
    const kinds = validator.supportedKinds();
    expect(kinds).toEqual([...kinds].sort());
    expect(kinds).toEqual(
      expect.arrayContaining([
        'apps/v1/Deployment',
        'apps/v1/StatefulSet',
        'apps/v1/DaemonSet',
        'batch/v1/Job',
        'batch/v1/CronJob',
        'v1/Service',
        'v1/ConfigMap',
        'v1/Secret',
        'v1/ServiceAccount',
        'v1/Namespace',
        'v1/PersistentVolumeClaim',
        'autoscaling/v2/HorizontalPodAutoscaler',
        'policy/v1/PodDisruptionBudget',
        'networking.k8s.io/v1/NetworkPolicy',
        'networking.k8s.io/v1/Ingress',
        'storage.k8s.io/v1/StorageClass',
        'scheduling.k8s.io/v1/PriorityClass',
        'rbac.authorization.k8s.io/v1/Role',
        'rbac.authorization.k8s.io/v1/RoleBinding',
        ...CRD_KINDS,
      ]),
    );
    expect(kinds).not.toContain('policy/v1beta1/PodDisruptionBudget');
  });

  describe('valid objects pass with no findings', () => {
    const valid = [...CORE_FILES, CRD_FILE, 'free-form.yaml'].flatMap(file =>
      loadFixture(file).map(
        o =>
          [`${file}: ${o.apiVersion} ${o.kind} ${o.metadata.name}`, o] as const,
      ),
    );

    it.each(valid)('%s', (_, object) => {
      expect(validator.validate(object)).toEqual([]);
    });

    it('covers every CRD kind of the brief', () => {
      const kinds = new Set(
        loadFixture(CRD_FILE).map(o => `${o.apiVersion}/${o.kind}`),
      );
      expect([...kinds].sort()).toEqual([...CRD_KINDS].sort());
    });
  });

  describe('unknown fields (core kinds, client-node metadata)', () => {
    const deployment = () => fixture('core-workloads.yaml', 'Deployment');

    it('reports spec.replica with its exact path', () => {
      const findings = validator.validate(
        variant(deployment(), o => {
          o.spec.replica = 3;
        }),
      );
      expect(findings).toEqual([
        {
          ruleId: 'schema/unknown-field',
          severity: 'error',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'api',
          objectPath: 'spec.replica',
          message: expect.stringContaining('did you mean "replicas"'),
        },
      ]);
    });

    it('reports spec.template.spec.contianers', () => {
      const findings = validator.validate(
        variant(deployment(), o => {
          o.spec.template.spec.contianers = o.spec.template.spec.containers;
        }),
      );
      expect(summary(findings)).toEqual([
        'schema/unknown-field spec.template.spec.contianers',
      ]);
      expect(findings[0].message).toContain('did you mean "containers"');
    });

    it('reports unknown fields deep in arrays and at the top level', () => {
      const findings = validator.validate(
        variant(deployment(), o => {
          o.spec.template.spec.containers[0].readinessProbe.httpGet.prot =
            'http';
          o.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.nmae =
            'x';
          o.specs = {};
          o.metadata.lables = { a: 'b' };
        }),
      );
      expect(summary(findings)).toEqual([
        'schema/unknown-field metadata.lables',
        'schema/unknown-field spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.nmae',
        'schema/unknown-field spec.template.spec.containers[0].readinessProbe.httpGet.prot',
        'schema/unknown-field specs',
      ]);
    });

    it('checks other core kinds too', () => {
      const service = variant(fixture('core-other.yaml', 'Service'), o => {
        o.spec.ports[0].targetport = 8080;
      });
      const hpa = variant(
        fixture('core-other.yaml', 'HorizontalPodAutoscaler'),
        o => {
          o.spec.metrics[0].resource.target.averageUtilisation = 80;
        },
      );
      const cronJob = variant(fixture('core-workloads.yaml', 'CronJob'), o => {
        o.spec.jobTemplate.spec.template.spec.restartpolicy = 'Never';
      });
      expect(summary(validator.validate(service))).toEqual([
        'schema/unknown-field spec.ports[0].targetport',
      ]);
      expect(summary(validator.validate(hpa))).toEqual([
        'schema/unknown-field spec.metrics[0].resource.target.averageUtilisation',
      ]);
      expect(summary(validator.validate(cronJob))).toEqual([
        'schema/unknown-field spec.jobTemplate.spec.template.spec.restartpolicy',
      ]);
    });

    it('accepts any keys in labels, annotations and data maps', () => {
      const object = variant(deployment(), o => {
        o.metadata.labels['example.com/any-Key_1'] = 'x';
        o.metadata.annotations['whatever/you.like'] = 'y';
        o.spec.template.metadata.labels['another/label'] = 'z';
        o.spec.template.spec.nodeSelector = { 'node.kubernetes.io/pool': 'a' };
        o.spec.template.spec.containers[0].resources.limits[
          'nvidia.com/gpu'
        ] = 1;
      });
      expect(validator.validate(object)).toEqual([]);
      const configMap = variant(fixture('core-other.yaml', 'ConfigMap'), o => {
        o.data['any.key-at_all'] = 'v';
      });
      expect(validator.validate(configMap)).toEqual([]);
    });

    it('gives the strict check to built-in kinds outside the model registry', () => {
      const revision = {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: 'r' },
        revision: 1,
        revison: 2,
      };
      expect(summary(validator.validate(revision))).toEqual([
        'schema/unknown-field revison',
      ]);
    });
  });

  describe('unknown fields (CRD kinds, tracked compiled validators)', () => {
    it('reports Rollout spec.strategy.canary.stepz', () => {
      const findings = validator.validate(
        variant(fixture(CRD_FILE, 'Rollout'), o => {
          o.spec.strategy.canary.stepz = o.spec.strategy.canary.steps;
        }),
      );
      expect(summary(findings)).toEqual([
        'schema/unknown-field spec.strategy.canary.stepz',
      ]);
      expect(findings[0]).toMatchObject({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'api',
        severity: 'error',
      });
      expect(findings[0].message).toContain('did you mean "steps"');
    });

    it('reports VirtualService spec.htpp', () => {
      const findings = validator.validate(
        variant(fixture(CRD_FILE, 'VirtualService'), o => {
          o.spec.htpp = o.spec.http;
        }),
      );
      expect(summary(findings)).toEqual(['schema/unknown-field spec.htpp']);
    });

    it('reports typos in core types embedded in CRDs and inside CRD maps', () => {
      const rollout = variant(fixture(CRD_FILE, 'Rollout'), o => {
        o.spec.template.spec.contianers = [];
        o.spec.template.spec.containers[0].readinessProbe.httpGet.prot = 1;
      });
      expect(summary(validator.validate(rollout))).toEqual([
        'schema/unknown-field spec.template.spec.containers[0].readinessProbe.httpGet.prot',
        'schema/unknown-field spec.template.spec.contianers',
      ]);
      const peer = variant(fixture(CRD_FILE, 'PeerAuthentication'), o => {
        o.spec.portLevelMtls['9090'].mdoe = 'STRICT';
      });
      expect(summary(validator.validate(peer))).toEqual([
        'schema/unknown-field spec.portLevelMtls["9090"].mdoe',
      ]);
    });

    it.each(loadFixture(CRD_FILE).map(o => [`${o.apiVersion}/${o.kind}`, o]))(
      'reports an unknown spec field of %s',
      (_, object) => {
        const findings = validator.validate(
          variant(object as KubernetesObject, o => {
            o.spec.zzTypo = true;
          }),
        );
        expect(summary(findings)).toEqual(['schema/unknown-field spec.zzTypo']);
      },
    );

    it('keeps reporting after many valid objects of the kind were seen', () => {
      const valid = fixture(CRD_FILE, 'ServiceMonitor');
      for (let i = 0; i < 5; i++) {
        expect(validator.validate(valid)).toEqual([]);
      }
      const typo = variant(valid, o => {
        o.spec.endpoints[0].intervall = '10s';
        o.spec.endpoints.push({
          port: 'admin',
          relabelings: [{ actoin: 'drop' }],
        });
      });
      expect(summary(validator.validate(typo))).toEqual([
        'schema/unknown-field spec.endpoints[0].intervall',
        'schema/unknown-field spec.endpoints[1].relabelings[0].actoin',
      ]);
      expect(validator.validate(valid)).toEqual([]);
    });

    it('accepts any keys where the CRD schema preserves unknown fields', () => {
      const rollout = variant(
        fixture('free-form.yaml', 'Rollout', 'api-plugin-routing'),
        o => {
          o.spec.strategy.canary.trafficRouting.plugins['vendor/other'] = {
            whatever: { you: ['like'] },
          };
        },
      );
      expect(validator.validate(rollout)).toEqual([]);
      const envoyFilter = variant(
        fixture('free-form.yaml', 'EnvoyFilter'),
        o => {
          o.spec.configPatches[0].patch.value.typed_config.extra = { a: 1 };
        },
      );
      expect(validator.validate(envoyFilter)).toEqual([]);
      // ...but not next to them
      const typo = variant(envoyFilter, o => {
        o.spec.configPatches[0].patch.valeu = {};
      });
      expect(summary(validator.validate(typo))).toEqual([
        'schema/unknown-field spec.configPatches[0].patch.valeu',
      ]);
    });
  });

  describe('invalid values (kubernetes-models validation)', () => {
    it('reports a wrong type', () => {
      const findings = validator.validate(
        variant(fixture('core-workloads.yaml', 'Deployment'), o => {
          o.spec.replicas = 'three';
        }),
      );
      expect(findings).toEqual([
        {
          ruleId: 'schema/invalid',
          severity: 'error',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'api',
          objectPath: 'spec.replicas',
          message: 'spec.replicas must be integer (got string "three")',
        },
      ]);
    });

    it('reports missing required fields and bad enum values', () => {
      const findings = validator.validate(
        variant(fixture('core-workloads.yaml', 'Deployment'), o => {
          delete o.spec.selector;
          o.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
        }),
      );
      expect(summary(findings)).toEqual([
        'schema/invalid spec.selector',
        'schema/invalid spec.template.spec.containers[0].imagePullPolicy',
      ]);
      expect(findings[0].message).toBe('spec.selector is required but missing');
      expect(findings[1].message).toContain(
        '"Always", "IfNotPresent", "Never"',
      );
    });

    it('reports invalid values in CRDs', () => {
      const findings = validator.validate(
        variant(fixture(CRD_FILE, 'PeerAuthentication'), o => {
          o.spec.mtls.mode = 'SOMETIMES';
        }),
      );
      expect(summary(findings)).toEqual(['schema/invalid spec.mtls.mode']);
      const rollout = validator.validate(
        variant(fixture(CRD_FILE, 'Rollout'), o => {
          o.spec.replicas = 'three';
        }),
      );
      expect(summary(rollout)).toEqual(['schema/invalid spec.replicas']);
    });

    it('accepts IntOrString as number or name, nothing else', () => {
      const deployment = fixture('core-workloads.yaml', 'Deployment');
      const withPort = (port: unknown) =>
        variant(deployment, o => {
          o.spec.template.spec.containers[0].readinessProbe.httpGet.port = port;
          o.spec.strategy.rollingUpdate.maxSurge = port;
        });
      expect(validator.validate(withPort(8080))).toEqual([]);
      expect(validator.validate(withPort('http'))).toEqual([]);
      const findings = validator.validate(withPort(true));
      expect(summary(findings)).toEqual([
        'schema/invalid spec.strategy.rollingUpdate.maxSurge',
        'schema/invalid spec.template.spec.containers[0].readinessProbe.httpGet.port',
      ]);
      expect(findings[1].message).toBe(
        'spec.template.spec.containers[0].readinessProbe.httpGet.port must be integer or string (got boolean true)',
      );
      const service = (targetPort: unknown) =>
        variant(fixture('core-other.yaml', 'Service'), o => {
          o.spec.ports[0].targetPort = targetPort;
        });
      expect(validator.validate(service(8080))).toEqual([]);
      expect(validator.validate(service('http'))).toEqual([]);
    });
  });

  describe('unknown kinds', () => {
    it('reports a kind no layer knows', () => {
      const findings = validator.validate({
        apiVersion: 'widgets.example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: {},
      });
      expect(findings).toEqual([
        {
          ruleId: 'schema/unknown-kind',
          severity: 'error',
          apiVersion: 'widgets.example.com/v1',
          kind: 'Widget',
          name: 'w',
          objectPath: 'kind',
          message: expect.stringContaining('Unknown kind "Widget"'),
        },
      ]);
    });

    it('reports removed API versions and a misspelt kind', () => {
      const pdb = fixture('core-other.yaml', 'PodDisruptionBudget', 'api');
      expect(
        summary(validator.validate({ ...pdb, apiVersion: 'policy/v1beta1' })),
      ).toEqual(['schema/unknown-kind kind']);
      expect(
        summary(validator.validate({ ...pdb, kind: 'PodDisruptionBudgett' })),
      ).toEqual(['schema/unknown-kind kind']);
    });

    it('reports an object without apiVersion', () => {
      const findings = validator.validate({
        kind: 'Service',
        metadata: { name: 's' },
      } as unknown as KubernetesObject);
      expect(summary(findings)).toEqual(['schema/unknown-kind apiVersion']);
    });
  });
});

describe('strict-check sources', () => {
  it('client-node has the metadata of every core kind of the registry', async () => {
    const [registry, shapes] = await Promise.all([
      loadModelRegistry(),
      loadClientNodeShapes(),
    ]);
    const core = [...registry.values()].filter(entry => entry.core);
    expect(core.length).toBeGreaterThan(30);
    const missing = core
      .filter(entry => !shapes.forKind(entry.apiVersion, entry.kind))
      .map(entry => entry.key);
    expect(missing).toEqual([]);
    expect(shapes.forKind('apps/v1', 'Deployment')?.typeName).toBe(
      'V1Deployment',
    );
    expect(
      shapes.forKind('autoscaling/v2', 'HorizontalPodAutoscaler')?.typeName,
    ).toBe('V2HorizontalPodAutoscaler');
    expect(shapes.forKind('v1', 'Event')?.typeName).toBe('CoreV1Event');
    expect(shapes.forKind('argoproj.io/v1alpha1', 'Rollout')).toBeUndefined();
    expect(shapes.forKind('example.com/v1', 'Deployment')).toBeUndefined();
  });

  it('agree on core kinds', async () => {
    // the same unknown fields in a Deployment from both sources
    const [validator, registry] = await Promise.all([
      createKubernetesSchemaValidator(),
      loadModelRegistry(),
    ]);
    const object = variant(fixture('core-workloads.yaml', 'Deployment'), o => {
      o.spec.replica = 1;
      o.spec.template.spec.contianers = [];
      o.spec.template.spec.containers[0].ports[0].containerport = 1;
      o.spec.template.spec.volumes[0].emptyDir.sizelimit = '1Gi';
      o.metadata.labels['still.fine/key'] = 'v';
    });
    const fromClientNode = validator
      .validate(object)
      .map(f => f.objectPath)
      .sort();

    const model = registry.get('apps/v1/Deployment')!.model;
    const run = validateTracked(model.prototype.validate, object);
    const fromValidator: string[] = [];
    walkTracked(object, run, [], (at: readonly PathSegment[]) =>
      fromValidator.push(formatPath(at)),
    );
    expect(fromClientNode).toEqual([
      'spec.replica',
      'spec.template.spec.containers[0].ports[0].containerport',
      'spec.template.spec.contianers',
      'spec.template.spec.volumes[0].emptyDir.sizelimit',
    ]);
    expect(fromValidator.sort()).toEqual(fromClientNode);
  });
});
