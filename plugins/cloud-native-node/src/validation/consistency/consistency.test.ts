import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../../engine/loadSpec';
import { generatePackage } from '../../engine/orchestrate';
import { parseManifests } from '..';
import { checkConsistency } from '.';
import { EXAMPLES_DIR, EXAMPLE_NAMES } from '../../__fixtures__/examples';

const EXAMPLES = EXAMPLES_DIR;

async function load(name: string) {
  const text = await fs.readFile(
    path.join(EXAMPLES, name, 'architecture.yaml'),
    'utf8',
  );
  const plan = createPlan(parseSpecText(text, name));
  const pkg = await generatePackage(plan, { validate: false });
  return { plan, files: pkg.files };
}

describe('cross-skill consistency', () => {
  it.each(EXAMPLE_NAMES)('passes on %s', async name => {
    const { plan, files } = await load(name);
    const { manifests } = parseManifests(plan, files);
    expect(
      checkConsistency(
        plan,
        manifests,
        files.map(f => f.path),
      ),
    ).toEqual([]);
  });

  it('catches seeded inconsistencies, naming the files involved', async () => {
    const { plan, files } = await load('marketplace-gke-t3');
    const seeded = files
      // an image that is not the container skill's
      .map(f =>
        f.path === 'kubernetes/prod/cart.yaml'
          ? {
              ...f,
              content: f.content.replace(
                /image: europe-west1-docker\.pkg\.dev\/acme\/marketplace\/cart:1\.0\.0/,
                'image: europe-west1-docker.pkg.dev/acme/marketplace/cart:9.9.9',
              ),
            }
          : f,
      )
      // a mesh route to a Service that does not exist
      .map(f =>
        f.path === 'mesh/prod/cart.yaml'
          ? { ...f, content: f.content.replace(/host: cart\b/, 'host: kart') }
          : f,
      );
    const { manifests } = parseManifests(plan, seeded);
    const findings = checkConsistency(
      plan,
      manifests,
      seeded.map(f => f.path),
    );
    const ids = findings.map(f => f.ruleId).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        'consistency/image-mismatch',
        'consistency/mesh-unknown-service',
      ]),
    );
    const image = findings.find(
      f => f.ruleId === 'consistency/image-mismatch',
    )!;
    expect(image.message).toContain('containers/cart/Dockerfile');
    expect(image.message).toContain('kubernetes/prod/cart.yaml');
  });

  it('catches a storage class that is neither in the package nor a provider default', async () => {
    const { plan, files } = await load('shop-eks-t2');
    const seeded = files.map(f =>
      f.path === 'kubernetes/prod/postgres.yaml'
        ? {
            ...f,
            content: f.content.replace(
              'storageClassName: gp3',
              'storageClassName: super-fast',
            ),
          }
        : f,
    );
    const { manifests } = parseManifests(plan, seeded);
    const findings = checkConsistency(
      plan,
      manifests,
      seeded.map(f => f.path),
    );
    expect(findings.map(f => f.ruleId)).toEqual(['consistency/storage-class']);
    expect(findings[0].message).toMatch(/super-fast/);
  });

  it('catches a ServiceAccount the workload names but the package lacks', async () => {
    const { plan, files } = await load('web-app-t1');
    const seeded = files.map(f =>
      f.path === 'kubernetes/dev/web.yaml'
        ? {
            ...f,
            content: f.content.replace(
              'serviceAccountName: web',
              'serviceAccountName: ghost',
            ),
          }
        : f,
    );
    const { manifests } = parseManifests(plan, seeded);
    expect(
      checkConsistency(
        plan,
        manifests,
        seeded.map(f => f.path),
      ).map(f => f.ruleId),
    ).toContain('consistency/missing-service-account');
  });
});
