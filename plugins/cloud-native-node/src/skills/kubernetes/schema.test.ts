import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from '../../validation/schema';
import { generateKubernetesObjects } from './generator';
import {
  Loose,
  planOf,
  PROTOCOLS_SPEC,
  SHOP_SPEC,
  spec,
  svc,
} from './__fixtures__/plans';

jest.setTimeout(60_000);

/** Example plans covering every kind, strategy, router, mesh and tier. */
const EXAMPLES = {
  't1-agnostic': planOf(SHOP_SPEC({ tier: 'T1' })),
  't2-aws': planOf(SHOP_SPEC({ tier: 'T2', cloud: 'aws' })),
  't3-nginx': planOf(SHOP_SPEC({ tier: 'T3' })),
  't3-alb': planOf(SHOP_SPEC({ tier: 'T3', cloud: 'aws' })),
  't3-istio-gcp': planOf(
    SHOP_SPEC({ tier: 'T3', cloud: 'gcp', mesh: 'istio' }),
  ),
  't3-linkerd-azure': planOf(
    SHOP_SPEC({ tier: 'T3', cloud: 'azure', mesh: 'linkerd' }),
  ),
  'ab-testing-and-functions': planOf(
    spec({ tier: 'T3', mesh: 'istio' }, [
      svc('shop', 'service', { strategy: 'ab-testing', expose: 'public' }),
      svc('resize', 'function', { timeoutSeconds: 1200 }),
      svc('nightly', 'function', {
        trigger: { type: 'schedule' },
        schedule: '0 3 * * *',
        timeoutSeconds: 1200,
      }),
      svc('thumb', 'function', { trigger: { type: 'queue' } }),
    ]),
  ),
  'protocols-alb': planOf(PROTOCOLS_SPEC({ cloud: 'aws', mesh: 'none' })),
  'protocols-linkerd': planOf(PROTOCOLS_SPEC({ mesh: 'linkerd' })),
};

describe('generated objects pass strict schema validation', () => {
  let validator: KubernetesSchemaValidator;

  beforeAll(async () => {
    validator = await createKubernetesSchemaValidator();
  });

  it.each(Object.entries(EXAMPLES))('%s', (_, plan) => {
    const kinds = new Set<string>();
    const findings: string[] = [];
    for (const environment of plan.environments) {
      for (const object of generateKubernetesObjects(plan, environment)) {
        kinds.add(`${object.apiVersion}/${object.kind}`);
        for (const finding of validator.validate(object)) {
          findings.push(
            `${environment} ${object.kind}/${object.metadata.name} ${finding.ruleId} ${finding.objectPath}: ${finding.message}`,
          );
        }
      }
    }
    expect(findings).toEqual([]);
    expect(kinds.size).toBeGreaterThan(5);
  });

  it('the validator does see a broken object (the test can fail)', () => {
    const [deployment] = generateKubernetesObjects(
      EXAMPLES['t1-agnostic'],
      'prod',
    ).filter(o => o.kind === 'Deployment');
    const broken = structuredClone(deployment) as Loose;
    broken.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    broken.spec.template.spec.containers[0].livenessProbe.periodSecond = 3;
    expect(validator.validate(broken).length).toBeGreaterThan(0);
  });
});
