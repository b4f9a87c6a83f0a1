import { AZURE_P10, PRICING, regionNote } from './pricing';

/** Every object with a numeric `price` in the snapshot. */
function pricePoints(
  value: unknown,
  at = 'PRICING',
): Array<{ at: string; point: Record<string, unknown> }> {
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.price === 'number' ? [{ at, point: record }] : [];
  return [
    ...own,
    ...Object.entries(record).flatMap(([key, child]) =>
      pricePoints(child, `${at}.${key}`),
    ),
  ];
}

describe('pricing snapshot', () => {
  it('is dated', () => {
    expect(PRICING.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICING.hoursPerMonth).toBe(730);
  });

  it('gives every figure a public source and a unit', () => {
    const points = pricePoints(PRICING);
    expect(points.length).toBeGreaterThan(30);
    for (const { at, point } of points) {
      expect([at, point.source]).toEqual([
        at,
        expect.stringMatching(/^https:\/\/[a-z0-9.-]+\//),
      ]);
      expect([at, typeof point.unit]).toEqual([at, 'string']);
      expect(point.price).toBeGreaterThanOrEqual(0);
    }
  });

  it('holds the reference figures', () => {
    const { eks, gke, aks, generic } = PRICING.providers;
    expect(eks.controlPlane.price).toBe(0.1);
    expect(gke.controlPlane.price).toBe(0.1);
    expect(aks.controlPlane.price).toBe(0.1);
    expect(aks.controlPlaneFreeTier?.price).toBe(0);
    expect(eks.node.hourly.price).toBe(0.096);
    expect(gke.node.hourly.price).toBe(0.067);
    expect(aks.node.hourly.price).toBe(0.096);
    expect(generic.node.hourly.price).toBe(eks.node.hourly.price);
    for (const p of [eks, gke, aks]) {
      expect([p.node.vcpu, p.node.memoryGiB]).toEqual([2, 8]);
    }
    expect(eks.disk.perGiBMonth.price).toBe(0.08);
    expect(gke.disk.perGiBMonth.price).toBe(0.1);
    expect(aks.disk.perGiBMonth.price).toBeCloseTo(
      AZURE_P10.monthly / AZURE_P10.sizeGiB,
      10,
    );
    expect(aks.disk.perGiBMonth.note).toMatch(/round|tier/);
    expect(eks.loadBalancer.hourly.price).toBe(0.0225);
    expect(eks.loadBalancer.perLcuHour?.price).toBe(0.008);
    expect(gke.loadBalancer.hourly.price).toBe(0.025);
    expect(eks.nat.hourly?.price).toBe(0.045);
    expect(eks.nat.perGBProcessed.price).toBe(0.045);
    expect(eks.egressPerGB.price).toBe(0.09);
    expect(gke.egressPerGB.price).toBe(0.12);
    expect(aks.egressPerGB.price).toBe(0.087);
    const { lambda, azureFunctionsConsumption, cloudRun } = PRICING.serverless;
    expect(lambda.requests.price).toBe(0.2);
    expect(lambda.gbSecondX86.price).toBe(0.0000166667);
    expect(lambda.gbSecondArm64.price).toBe(0.0000133334);
    expect(lambda.freeTier).toMatch(/not applied/);
    expect(azureFunctionsConsumption.gbSecond.price).toBe(0.000016);
    expect(azureFunctionsConsumption.executions.price).toBe(0.2);
    expect(cloudRun.vcpuSecond.price).toBe(0.000024);
    expect(cloudRun.gibSecond.price).toBe(0.0000025);
    expect(cloudRun.requests.price).toBe(0.4);
  });

  it('lists the sizes of each node family, smallest first, priced linearly', () => {
    for (const p of Object.values(PRICING.providers)) {
      const sizes = p.nodeSizes;
      expect(sizes[0].factor).toBe(1);
      expect(sizes[0].node).toEqual(p.node);
      expect(sizes[0].armNodes).toEqual(p.armNodes);
      expect(sizes.map(size => size.factor)).toEqual(
        [...new Set(sizes.map(size => size.factor))].sort((a, b) => a - b),
      );
      sizes.forEach(size => {
        expect([size.node.vcpu, size.node.memoryGiB]).toEqual([
          p.node.vcpu * size.factor,
          p.node.memoryGiB * size.factor,
        ]);
        expect(size.node.hourly.price).toBeCloseTo(
          p.node.hourly.price * size.factor,
          10,
        );
        for (const [j, arm] of (size.armNodes ?? []).entries()) {
          expect(arm.vcpu).toBe(size.node.vcpu);
          expect(arm.hourly.price).toBeCloseTo(
            p.armNodes![j].hourly.price * size.factor,
            10,
          );
        }
      });
    }
    const names = (provider: keyof typeof PRICING.providers) =>
      PRICING.providers[provider].nodeSizes.map(s => s.node.instanceType);
    expect(names('eks')).toContain('m6i.2xlarge');
    expect(names('eks').at(-1)).toBe('m6i.32xlarge');
    expect(names('gke').at(-1)).toBe('e2-standard-32');
    expect(names('aks').at(-1)).toBe('Standard_D96s_v5');
    expect(names('generic')[1]).toBe('generic 4 vCPU/16 GiB');
    expect(
      PRICING.providers.eks.nodeSizes[3].armNodes?.map(a => a.instanceType),
    ).toEqual(['m7g.4xlarge', 'm6g.4xlarge']);
  });

  it('notes regions priced with another region figures', () => {
    expect(regionNote('eks', 'us-east-1')).toBeUndefined();
    expect(regionNote('eks', 'eu-west-1')).toMatch(/us-east-1/);
    expect(regionNote('aks', 'westeurope')).toMatch(/eastus/);
    expect(regionNote('cloud-run', 'europe-west1')).toMatch(/us-central1/);
    expect(regionNote('generic', 'default')).toMatch(/AWS/);
  });
});
