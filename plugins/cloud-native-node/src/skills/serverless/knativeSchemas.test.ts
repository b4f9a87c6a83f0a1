import { parseAllDocuments } from 'yaml';
import { builtinValidators } from '../../engine/validators';
import { KubernetesObject } from '../../core/types';
import { allTriggersSpec, planOf, withSpec } from './__fixtures__/plans';
import { cloudServerlessDesigner } from './skill';
import {
  isKnativeObject,
  KNATIVE_API_VERSIONS,
  validateKnativeObject,
} from './knativeSchemas';

type Loose = Record<string, any>;

/** The Knative objects the skill writes for a spec, by `Kind/name`. */
function knativeObjects(spec: Loose): Map<string, Loose> {
  const output = cloudServerlessDesigner.run({
    plan: planOf(spec),
    outputs: {},
  });
  const objects = new Map<string, Loose>();
  for (const file of output.files) {
    if (!file.path.startsWith('serverless/knative/')) continue;
    for (const doc of parseAllDocuments(file.content)) {
      const object = doc.toJS() as Loose;
      // the functions' Namespace is core v1, validated by the core schema
      if (object.apiVersion === 'v1') continue;
      objects.set(`${object.kind}/${object.metadata.name}`, object);
    }
  }
  return objects;
}

const GENERATED = knativeObjects(
  withSpec(allTriggersSpec('platform-agnostic', 'T3'), {
    platform: 'serverless',
  }),
);

/** A copy of a generated object with one change. */
function broken(key: string, change: (object: Loose) => void): Loose {
  const object = structuredClone(GENERATED.get(key));
  expect(object).toBeDefined();
  change(object!);
  return object!;
}

const paths = (object: Loose) => validateKnativeObject(object).map(i => i.path);

describe('validateKnativeObject', () => {
  it('covers every kind the generator writes', () => {
    const kinds = new Set([...GENERATED.values()].map(o => o.kind));
    expect([...kinds].sort()).toEqual(Object.keys(KNATIVE_API_VERSIONS).sort());
  });

  it.each([...GENERATED.keys()])('accepts the generated %s', key => {
    const object = GENERATED.get(key)!;
    expect(isKnativeObject(object)).toBe(true);
    expect(validateKnativeObject(object)).toEqual([]);
  });

  it('accepts the generated objects of every tier and of multi-cloud', () => {
    for (const [cloud, tier] of [
      ['platform-agnostic', 'T1'],
      ['platform-agnostic', 'T2'],
      ['multi-cloud', 'T2'],
    ]) {
      for (const object of knativeObjects(
        allTriggersSpec(cloud, tier),
      ).values()) {
        expect(validateKnativeObject(object)).toEqual([]);
      }
    }
  });

  it('is declared by the skill and among the built-in validators', () => {
    const service = GENERATED.get('Service/api') as KubernetesObject;
    const declared = cloudServerlessDesigner.validators?.objects ?? [];
    expect(declared.some(v => v.handles(service))).toBe(true);
    const extraObjectValidators = builtinValidators.objects;
    const validator = extraObjectValidators.find(v => v.handles(service));
    expect(validator).toBeDefined();
    expect(validator!.validate(service)).toEqual([]);
    expect(
      extraObjectValidators.some(v =>
        v.handles({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'x' },
        } as KubernetesObject),
      ),
    ).toBe(false);
  });

  it('reports a typo in the revision PodSpec with its path', () => {
    expect(
      validateKnativeObject(
        broken('Service/api', o => {
          const spec = o.spec.template.spec;
          spec.contianers = spec.containers;
          delete spec.containers;
        }),
      ),
    ).toEqual([
      {
        path: 'spec.template.spec.containers',
        message: 'required field is missing',
      },
      {
        path: 'spec.template.spec.contianers',
        message: expect.stringMatching(
          /^unknown field 'contianers' \(allowed: containers, volumes, /,
        ),
      },
    ]);
  });

  it('checks types: containerConcurrency must be an integer', () => {
    expect(
      validateKnativeObject(
        broken('Service/api', o => {
          o.spec.template.spec.containerConcurrency = 'x';
        }),
      ),
    ).toEqual([
      {
        path: 'spec.template.spec.containerConcurrency',
        message: 'expected integer, got the string "x"',
      },
    ]);
  });

  it('reports an unknown top-level spec field of every kind', () => {
    for (const key of GENERATED.keys()) {
      expect(
        validateKnativeObject(
          broken(key, o => {
            o.spec.replicas = 2;
          }),
        ),
      ).toEqual([
        {
          path: 'spec.replicas',
          message: expect.stringMatching(/^unknown field 'replicas'/),
        },
      ]);
    }
  });

  it('validates the containers, not just the PodSpec keys', () => {
    expect(
      paths(
        broken('Service/api', o => {
          const c = o.spec.template.spec.containers[0];
          c.imagePullPolicy = 'Sometimes';
          c.ports[0].containerPort = '8080';
          c.resources.requests.memory = '512 MB';
          c.securityContext.runAsNonRoot = 'true';
          c.env[0].valeu = 'x';
          c.volumeMounts[0].mountpath = c.volumeMounts[0].mountPath;
          delete c.volumeMounts[0].mountPath;
        }),
      ),
    ).toEqual([
      'spec.template.spec.containers[0].env[0].valeu',
      'spec.template.spec.containers[0].imagePullPolicy',
      'spec.template.spec.containers[0].ports[0].containerPort',
      'spec.template.spec.containers[0].resources.requests.memory',
      'spec.template.spec.containers[0].securityContext.runAsNonRoot',
      'spec.template.spec.containers[0].volumeMounts[0].mountPath',
      'spec.template.spec.containers[0].volumeMounts[0].mountpath',
    ]);
    // the image is required
    expect(
      validateKnativeObject(
        broken('Service/api', o => {
          delete o.spec.template.spec.containers[0].image;
        }),
      ),
    ).toEqual([
      {
        path: 'spec.template.spec.containers[0].image',
        message: 'required field is missing',
      },
    ]);
  });

  it('applies the restrictions Knative puts on a PodSpec', () => {
    const messages = (change: (spec: Loose) => void) =>
      validateKnativeObject(
        broken('Service/api', o => change(o.spec.template.spec)),
      ).map(i => `${i.path}: ${i.message}`);
    expect(
      messages(spec => {
        spec.nodeSelector = { disk: 'ssd' };
      }),
    ).toEqual([
      'spec.template.spec.nodeSelector: needs the Knative feature flag "kubernetes.podspec-nodeselector" (config-features), which is disabled by default',
    ]);
    expect(
      messages(spec => {
        spec.containers[0].ports[0].containerPort = 8012;
      }),
    ).toEqual([
      'spec.template.spec.containers[0].ports[0].containerPort: port 8012 is reserved by Knative (8008, 8012, 8013, 8022, 9090, 9091)',
    ]);
    expect(
      messages(spec => {
        spec.containers[0].ports.push({ containerPort: 9000 });
      }),
    ).toEqual([
      'spec.template.spec.containers[0].ports: more than one container port is set: only one is allowed',
    ]);
    expect(
      messages(spec => {
        spec.containers[0].env.push({ name: 'PORT', value: '1' });
        spec.containers[0].lifecycle = { preStop: {} };
        spec.volumes[0].name = 'scratch';
      }),
    ).toEqual([
      'spec.template.spec.containers[0].env[2].name: "PORT" is a reserved environment variable (Knative sets it)',
      'spec.template.spec.containers[0].lifecycle: lifecycle hooks are not allowed in a Knative revision',
    ]);
    expect(
      messages(spec => {
        spec.volumes[0].name = 'scratch';
      }),
    ).toEqual([
      'spec.template.spec.containers[0].volumeMounts[0].name: volumeMount "tmp" has no matching volume',
      'spec.template.spec.volumes[0].name: volume "scratch" is not mounted by any container',
    ]);
    expect(
      messages(spec => {
        spec.volumes[0] = { name: 'tmp', hostPath: { path: '/data' } };
      }),
    ).toEqual([
      'spec.template.spec.volumes[0].hostPath: needs the Knative feature flag "kubernetes.podspec-volumes-hostpath" (config-features), which is disabled by default',
      'spec.template.spec.volumes[0]: exactly one of secret, configMap, projected, emptyDir must be set',
    ]);
    expect(
      messages(spec => {
        spec.containers[0].volumeMounts[0].mountPath = '/var';
      }),
    ).toEqual([
      'spec.template.spec.containers[0].volumeMounts[0].mountPath: mountPath "/var" is a reserved path',
    ]);
  });

  it('checks the autoscaling annotations and the visibility label', () => {
    expect(
      validateKnativeObject(
        broken('Service/api', o => {
          const a = o.spec.template.metadata.annotations;
          a['autoscaling.knative.dev/minscale'] = '1';
          a['autoscaling.knative.dev/max-scale'] = 'ten';
          a['autoscaling.knative.dev/metric'] = 'cpu';
          o.metadata.labels['networking.knative.dev/visibility'] = 'public';
        }),
      ).map(i => i.path),
    ).toEqual([
      'metadata.labels.networking.knative.dev/visibility',
      'spec.template.metadata.annotations.autoscaling.knative.dev/max-scale',
      'spec.template.metadata.annotations.autoscaling.knative.dev/minscale',
      'spec.template.metadata.annotations.autoscaling.knative.dev/metric',
    ]);
  });

  it('checks Eventing objects: references, delivery, filters', () => {
    expect(
      paths(
        broken('Trigger/ingest-trigger', o => {
          delete o.spec.broker;
          o.spec.filter.attributes['Event-Type'] = 'x';
          o.spec.subscriber.ref.nmae = o.spec.subscriber.ref.name;
          delete o.spec.subscriber.ref.name;
          o.spec.delivery.backoffPolicy = 'random';
          o.spec.delivery.backoffDelay = '1s';
          o.spec.delivery.retry = -1;
        }),
      ),
    ).toEqual([
      'spec.broker',
      'spec.filter.attributes.Event-Type',
      'spec.subscriber.ref.name',
      'spec.subscriber.ref.nmae',
      'spec.delivery.retry',
      'spec.delivery.backoffPolicy',
      'spec.delivery.backoffDelay',
    ]);
    expect(
      validateKnativeObject(
        broken('Trigger/ingest-trigger', o => {
          o.spec.subscriber = { uri: '/relative' };
        }),
      ),
    ).toEqual([
      {
        path: 'spec.subscriber.uri',
        message:
          'must be an absolute URL (scheme and host) when there is no ref',
      },
    ]);
    expect(
      paths(
        broken('Broker/default', o => {
          o.spec.delivery.deadLetterSink = {};
        }),
      ),
    ).toEqual(['spec.delivery.deadLetterSink']);
  });

  it('checks a PingSource: cron, time zone, data', () => {
    const key = [...GENERATED.keys()].find(k => k.startsWith('PingSource/'))!;
    expect(
      paths(
        broken(key, o => {
          o.spec.schedule = '@every 5m';
          o.spec.timezone = 'Mars/Olympus';
        }),
      ),
    ).toEqual(['spec.schedule', 'spec.timezone']);
    expect(
      validateKnativeObject(
        broken(key, o => {
          o.spec.data = 'not json';
        }),
      ),
    ).toEqual([
      {
        path: 'spec.data',
        message: 'contentType is application/json: data must be a JSON object',
      },
    ]);
    expect(
      paths(
        broken(key, o => {
          o.spec.schedule = '61 * * * *';
          o.spec.dataBase64 = 'e30=';
        }),
      ),
    ).toEqual(['spec.schedule']);
    expect(
      paths(
        broken(key, o => {
          o.spec.dataBase64 = 'e30=';
        }),
      ),
    ).toEqual(['spec.dataBase64']);
  });

  it('refuses Knative versions and kinds it does not model', () => {
    expect(
      validateKnativeObject(
        broken('Service/api', o => {
          o.apiVersion = 'serving.knative.dev/v1beta1';
        }),
      ),
    ).toEqual([
      {
        path: 'apiVersion',
        message:
          'Service is modelled for serving.knative.dev/v1, got "serving.knative.dev/v1beta1"',
      },
    ]);
    expect(
      paths({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Route',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).toEqual(['kind']);
    expect(
      isKnativeObject({ apiVersion: 'networking.istio.io/v1', kind: 'X' }),
    ).toBe(false);
  });
});
