import { renderDeploymentGuide } from '.';
import { planOf, spec, svc } from '../skills/kubernetes/__fixtures__/plans';

function troubleshooting(memory: { api: string; worker: string }) {
  const plan = planOf(
    spec({}, [
      svc('api', 'service', {
        port: 8080,
        resources: { cpu: '250m', memory: memory.api },
      }),
      svc('worker', 'worker', {
        resources: { cpu: '250m', memory: memory.worker },
      }),
    ]),
  );
  return renderDeploymentGuide(plan, { files: [] }).find(
    d => d.path === 'docs/TROUBLESHOOTING.md',
  )!.content;
}

describe('the Pending entry names the pod with the largest memory request', () => {
  it.each([
    [{ api: '512Mi', worker: '1Gi' }, 'worker'],
    [{ api: '2Gi', worker: '1Gi' }, 'api'],
    // decimal K (which the spec allows) was read as 0 by the guide's own
    // quantity parser: 2000000K (1.9 GiB) lost to 512Mi
    [{ api: '512Mi', worker: '2000000K' }, 'worker'],
  ])('%j → %s', (memory, heavy) => {
    expect(troubleshooting(memory)).toContain(
      `\`${heavy}\` pod \`Pending\`, event \`FailedScheduling\``,
    );
  });
});
