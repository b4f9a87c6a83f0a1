import { generateKubernetesObjects } from './generator';
import {
  byKind,
  find,
  Loose,
  singleServicePlan,
  svc,
} from './__fixtures__/plans';

/**
 * Release gates that can pass: before, every HTTP Rollout got an
 * AnalysisTemplate on `http_requests_total` although only T3 packages on
 * managed clusters collect metrics (ServiceMonitors), so at T2 every
 * blue-green release waited on an inconclusive analysis and paused.
 */
function objectsOf(tier: 'T2' | 'T3', cloud: 'aws' | 'platform-agnostic') {
  const plan = singleServicePlan(
    svc('api', 'service', {
      port: 8080,
      expose: 'internal',
      strategy: 'blue-green',
      health: { path: '/healthz' },
    }),
    { tier, cloud },
  );
  return generateKubernetesObjects(plan, 'prod');
}

describe('release gates read only metrics the package collects', () => {
  it('T2: a blue-green Rollout without analysis (nothing scrapes the metric)', () => {
    const objects = objectsOf('T2', 'aws');
    const rollout = find(objects, 'Rollout', 'api') as Loose;
    expect(rollout.spec.strategy.blueGreen.prePromotionAnalysis).toBe(
      undefined,
    );
    expect(byKind(objects, 'AnalysisTemplate')).toEqual([]);
  });

  it('T3 on a managed cluster: the pre-promotion analysis on the scraped metric', () => {
    const objects = objectsOf('T3', 'aws');
    const rollout = find(objects, 'Rollout', 'api') as Loose;
    expect(
      rollout.spec.strategy.blueGreen.prePromotionAnalysis.templates,
    ).toEqual([{ templateName: 'api-success-rate' }]);
    expect(byKind(objects, 'AnalysisTemplate')).toHaveLength(1);
  });

  it('T3 platform-agnostic: no analysis (the package writes no ServiceMonitor)', () => {
    const objects = objectsOf('T3', 'platform-agnostic');
    expect(byKind(objects, 'AnalysisTemplate')).toEqual([]);
  });

  it('a prebuilt image is not annotated for a /metrics it does not serve', () => {
    const plan = singleServicePlan(
      svc('search', 'stateful', {
        image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
        port: 9200,
        protocol: 'http',
        health: { path: '/_cluster/health' },
      }),
      { tier: 'T3', cloud: 'aws' },
    );
    const statefulSet = find(
      generateKubernetesObjects(plan, 'prod'),
      'StatefulSet',
      'search',
    ) as Loose;
    expect(
      statefulSet.spec.template.metadata.annotations?.['prometheus.io/scrape'],
    ).toBeUndefined();
  });
});
