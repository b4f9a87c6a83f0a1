import { cloudValidators, validateCloudCustomObject } from '.';

const podMonitoring = () => ({
  apiVersion: 'monitoring.googleapis.com/v1',
  kind: 'PodMonitoring',
  metadata: { name: 'api', namespace: 'shop', labels: { a: 'b' } },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    endpoints: [
      { port: 'http', path: '/metrics', interval: '30s', timeout: '10s' },
    ],
  },
});

const azureMonitor = () => ({
  apiVersion: 'azmonitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    labelLimit: 63,
    labelNameLengthLimit: 511,
    labelValueLengthLimit: 1023,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    endpoints: [
      {
        port: 'http',
        path: '/metrics',
        interval: '30s',
        scrapeTimeout: '10s',
        relabelings: [
          {
            action: 'keep',
            sourceLabels: ['__meta_kubernetes_service_name'],
            regex: 'api',
          },
        ],
      },
    ],
  },
});

describe('cloud custom resource models', () => {
  it('accept what the skill emits', () => {
    expect(validateCloudCustomObject(podMonitoring())).toEqual([]);
    expect(validateCloudCustomObject(azureMonitor())).toEqual([]);
    const [validator] = cloudValidators.objects;
    expect(validator.handles(podMonitoring() as any)).toBe(true);
    expect(validator.handles(azureMonitor() as any)).toBe(true);
    expect(
      validator.handles({
        ...azureMonitor(),
        apiVersion: 'monitoring.coreos.com/v1',
      } as any),
    ).toBe(false);
  });

  it('PodMonitoring: required fields, bounds and the timeout rule', () => {
    const noEndpoints = podMonitoring() as any;
    noEndpoints.spec.endpoints = [];
    expect(validateCloudCustomObject(noEndpoints)[0].message).toMatch(
      /at least 1/,
    );
    const scheme = podMonitoring() as any;
    scheme.spec.endpoints[0].scheme = 'tcp';
    expect(validateCloudCustomObject(scheme)[0].path).toBe(
      'spec.endpoints[0].scheme',
    );
    const slow = podMonitoring() as any;
    slow.spec.endpoints[0].timeout = '1m';
    expect(validateCloudCustomObject(slow)[0].path).toBe(
      'spec.endpoints[0].timeout',
    );
    const noNamespace = podMonitoring() as any;
    delete noNamespace.metadata.namespace;
    expect(validateCloudCustomObject(noNamespace)[0]).toEqual({
      path: 'metadata.namespace',
      message: 'required field is missing',
    });
  });

  it('Azure ServiceMonitor: relabel actions and label names', () => {
    const action = azureMonitor() as any;
    action.spec.endpoints[0].relabelings[0].action = 'Keepp';
    expect(validateCloudCustomObject(action)[0].message).toMatch(
      /expected one of/,
    );
    const label = azureMonitor() as any;
    label.spec.endpoints[0].relabelings[0].sourceLabels = ['bad-label'];
    expect(validateCloudCustomObject(label)).toHaveLength(1);
    const limit = azureMonitor() as any;
    limit.spec.labelLimit = -1;
    expect(validateCloudCustomObject(limit)[0].path).toBe('spec.labelLimit');
  });
});
