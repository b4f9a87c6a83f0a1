import { containerImageOptimizer } from '../skills/container';
import { kubernetesManifestGenerator } from '../skills/kubernetes';
import {
  planOf,
  podTemplateOf,
  spec,
  svc,
} from '../skills/kubernetes/__fixtures__/plans';
import { isServing, listenPort } from './workload';

/**
 * The container skill (EXPOSE, the server command) and the manifest skill
 * (containerPort, probes) used to decide separately whether a workload
 * serves its port, and disagreed on two kinds of service: a worker with a
 * port (the image exposed nothing, the pod probed the port) and an event
 * function rerouted to Kubernetes, which the spec gives port 8080 (the
 * image listened on nothing, the pod's liveness probe on 8080 failed and
 * restarted it). Both now read plan/workload.ts.
 */
describe('serving: one decision for the image and the pod', () => {
  const plan = planOf(
    spec({ platform: 'kubernetes' }, [
      svc('api', 'service', { port: 8080, expose: 'public' }),
      svc('poller', 'worker', { port: 9090 }),
      svc('reprocess', 'function', {
        language: 'python',
        trigger: { type: 'queue', source: 'claim-reprocess' },
        timeoutSeconds: 3600,
      }),
      svc('hook', 'function', {
        trigger: { type: 'http' },
        timeoutSeconds: 3600,
      }),
    ]),
  );
  const images = containerImageOptimizer.run({ plan, outputs: {} });
  const manifests = kubernetesManifestGenerator.run({ plan, outputs: {} });
  const dockerfile = (name: string) =>
    images.files.find(f => f.path === `containers/${name}/Dockerfile`)!.content;
  const containerOf = (name: string) => {
    const file = manifests.manifests.find(
      m => m.path === `kubernetes/prod/${name}.yaml`,
    )!;
    const workload = file.objects.find(o =>
      ['Deployment', 'Rollout'].includes(o.kind),
    )!;
    return podTemplateOf(workload).spec.containers[0];
  };

  it.each([
    ['api', true, 8080],
    ['poller', true, 9090],
    ['reprocess', false, undefined],
    ['hook', true, 8080],
  ])('%s serves a port: %s', (name, serving, port) => {
    const servicePlan = plan.services.find(s => s.name === name)!;
    expect(isServing(servicePlan)).toBe(serving);
    expect(listenPort(servicePlan)).toBe(port);
  });

  it.each(['api', 'poller', 'reprocess', 'hook'])(
    '%s: the image EXPOSEs exactly the port the pod declares',
    name => {
      const exposed = /^EXPOSE (\d+)$/m.exec(dockerfile(name))?.[1];
      const declared = containerOf(name).ports?.[0]?.containerPort;
      expect(exposed === undefined ? undefined : Number(exposed)).toBe(
        declared,
      );
    },
  );

  it('probes no port of a workload that listens on none', () => {
    const container = containerOf('reprocess');
    expect(container.ports).toBeUndefined();
    expect(container.livenessProbe).toBeUndefined();
    expect(container.readinessProbe).toBeUndefined();
  });
});
