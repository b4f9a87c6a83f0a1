import {
  classifyEnvironment,
  cpuMillicores,
  environmentProfile,
  formatCpu,
  resourceSettings,
} from './profile';
import {
  planOf,
  SHOP_SPEC,
  singleServicePlan,
  svc,
} from '../skills/kubernetes/__fixtures__/plans';

describe('classifyEnvironment', () => {
  it.each([
    ['prod', 'production'],
    ['production', 'production'],
    ['prod-eu', 'production'],
    ['PROD', 'production'],
    ['preprod', 'staging'],
    ['staging', 'staging'],
    ['stage', 'staging'],
    ['qa', 'staging'],
    ['uat', 'staging'],
    ['dev', 'development'],
    ['test', 'development'],
    ['sandbox', 'development'],
    ['nonprod', 'development'],
    ['non-prod', 'development'],
  ])('%s → %s', (name, expected) => {
    expect(classifyEnvironment(name)).toBe(expected);
  });
});

describe('resource limits', () => {
  it('parses and formats cpu quantities', () => {
    expect(cpuMillicores('250m')).toBe(250);
    expect(cpuMillicores('1')).toBe(1000);
    expect(cpuMillicores('1.5')).toBe(1500);
    expect(formatCpu(4000)).toBe('4');
    expect(formatCpu(400)).toBe('400m');
    expect(() => cpuMillicores('lots')).toThrow(/unsupported/);
  });

  it('derives cpu limit = 4 × request and memory limit = request', () => {
    expect(resourceSettings({ cpu: '250m', memory: '512Mi' })).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(resourceSettings({ cpu: '1.5', memory: '2Gi' }).limits).toEqual({
      cpu: '6',
      memory: '2Gi',
    });
  });
});

describe('environmentProfile', () => {
  const plan = planOf(
    SHOP_SPEC({ environments: ['dev', 'qa', 'prod'], tier: 'T3' }),
  );

  it('production keeps the spec replicas and autoscales the range', () => {
    const prod = environmentProfile(plan, 'prod');
    expect(prod.class).toBe('production');
    expect(prod.services.catalog.replicas).toEqual({ min: 3, max: 10 });
    expect(prod.services.catalog.autoscaling).toBe(true);
    expect(prod.services.catalog.podDisruptionBudget).toBe(true);
    expect(prod.services.db.replicas).toEqual({ min: 3, max: 3 });
    expect(prod.services.db.autoscaling).toBe(false);
    expect(prod.services.db.podDisruptionBudget).toBe(true);
    expect(prod.services.web.host).toBe('web.example.com');
    expect(prod.services.catalog.host).toBeUndefined();
  });

  it('staging halves max (at least min) and keeps the StatefulSet size', () => {
    const qa = environmentProfile(plan, 'qa');
    expect(qa.class).toBe('staging');
    expect(qa.services.catalog.replicas).toEqual({ min: 3, max: 5 });
    expect(qa.services.db.replicas).toEqual({ min: 3, max: 3 });
    expect(qa.services.web.host).toBe('web.qa.example.com');
  });

  it('development runs one replica without HPA or PDB', () => {
    const dev = environmentProfile(plan, 'dev');
    expect(dev.class).toBe('development');
    for (const service of Object.values(dev.services)) {
      expect(service.replicas).toEqual({ min: 1, max: 1 });
      expect(service.autoscaling).toBe(false);
      expect(service.podDisruptionBudget).toBe(false);
    }
    expect(dev.services.web.host).toBe('web.dev.example.com');
  });

  it('requests are the same in every environment', () => {
    const dev = environmentProfile(plan, 'dev');
    const prod = environmentProfile(plan, 'prod');
    expect(dev.services.api.resources).toEqual(prod.services.api.resources);
  });

  it('staging with min 0 still runs one replica; max never drops below min', () => {
    const p = singleServicePlan(
      svc('api', 'service', { replicas: { min: 0, max: 1 } }),
      { environments: ['staging'] },
    );
    expect(environmentProfile(p, 'staging').services.api.replicas).toEqual({
      min: 1,
      max: 1,
    });
  });

  it('fixed scaling never autoscales', () => {
    const p = singleServicePlan(
      svc('api', 'service', { scaling: 'fixed', replicas: { min: 2, max: 6 } }),
    );
    expect(environmentProfile(p, 'prod').services.api.autoscaling).toBe(false);
  });

  it('has only Kubernetes services', () => {
    const hybrid = planOf({
      ...SHOP_SPEC(),
      spec: {
        ...SHOP_SPEC().spec,
        services: [
          svc('api', 'service'),
          svc('thumbnail', 'function', { trigger: { type: 'queue' } }),
        ],
      },
    });
    expect(hybrid.platform).toBe('hybrid');
    expect(Object.keys(environmentProfile(hybrid, 'prod').services)).toEqual([
      'api',
    ]);
  });
});
