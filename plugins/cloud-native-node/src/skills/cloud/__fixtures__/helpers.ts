import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  createPlan,
  DeploymentPlan,
  Finding,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../../../engine/loadSpec';
import { generatePackage } from '../../../engine/orchestrate';
import { builtinSkills } from '../../../engine/skills';
import { toYamlDocuments } from '../../../core/serialize';
import {
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
} from '../../../core/types';
import { locateTool } from '../../../tools';
import { cloudKubernetesIntegrator } from '..';

// Test fixture only (never part of a build): the repository's examples.
export const EXAMPLES_DIR = path.resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../../../examples',
);

export function examplePlan(name: string): DeploymentPlan {
  const text = readFileSync(
    path.join(EXAMPLES_DIR, name, 'architecture.yaml'),
    'utf8',
  );
  return createPlan(parseSpecText(text, name));
}

export function planFromText(text: string): DeploymentPlan {
  return createPlan(parseSpecText(text, 'test'));
}

/** A small multi-cloud spec: every provider, T3, secrets, storage. */
export const MULTI_CLOUD_SPEC = `
apiVersion: cloud-native.backstage.io/v1alpha1
kind: Architecture
metadata:
  name: travel
spec:
  type: microservices
  cloud: multi-cloud
  region: us-east-1
  tier: T3
  environments: [staging, prod]
  requirements: [performance, security]
  gitops: flux
  registry: 123456789012.dkr.ecr.us-east-1.amazonaws.com/travel
  services:
    - name: web
      workload: service
      language: node
      port: 8080
      expose: public
      dependsOn: [bookings]
      secrets: [SESSION_KEY]
    - name: bookings
      workload: service
      language: go
      port: 8080
      dependsOn: [db]
      secrets: [DATABASE_URL, PAYMENT_TOKEN]
    - name: db
      workload: stateful
      image: postgres:16.4-bookworm
      port: 5432
      storage: { size: 20Gi, class: gp3 }
      secrets: [POSTGRES_PASSWORD]
    - name: reports
      workload: cronjob
      language: python
      schedule: '0 2 * * *'
      secrets: [DATABASE_URL]
`;

/** Replaces `spec.<key>: <value>` lines of a spec text. */
export function withSpec(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    out = out.replace(new RegExp(`^(  ${key}:) .*$`, 'm'), `$1 ${value}`);
  }
  return out;
}

export function exampleText(name: string): string {
  return readFileSync(
    path.join(EXAMPLES_DIR, name, 'architecture.yaml'),
    'utf8',
  );
}

/**
 * The whole package (the engine's skills + this one) of a plan, validated by
 * the package validation with the validators the skills declare (this
 * skill's strict models among them).
 */
export async function packageFiles(
  plan: DeploymentPlan,
): Promise<{ files: GeneratedFile[]; findings: Finding[] }> {
  const pkg = await generatePackage(plan, {
    skills: {
      ...builtinSkills,
      'cloud-kubernetes-integrator': cloudKubernetesIntegrator,
    },
  });
  return { files: pkg.files, findings: pkg.findings };
}

export async function writeFiles(
  files: GeneratedFile[],
  root: string,
): Promise<void> {
  for (const file of files) {
    const target = path.join(root, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, { mode: file.mode ?? 0o644 });
  }
}

/** kubectl, found like the package validation finds it (src/tools). */
export async function kubectlPath(): Promise<string> {
  const tool = await locateTool('kubectl');
  if (!tool) throw new Error('kubectl not found (src/tools locateTool)');
  return tool.path;
}

/** `kubectl kustomize <dir>` as parsed objects. */
export function kustomizeBuild(
  kubectl: string,
  directory: string,
): KubernetesObject[] {
  const output = execFileSync(kubectl, ['kustomize', directory], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(output)
    .map(doc => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as KubernetesObject;
    })
    .filter(Boolean);
}

/** Parses a YAML file of one or more documents. */
export function parseYamlObjects(content: string): KubernetesObject[] {
  return parseAllDocuments(content).map(doc => doc.toJS() as KubernetesObject);
}

/** Files of a skill output by path, manifests serialized as the engine does. */
export function fileMap(
  output:
    | { files: GeneratedFile[]; manifests?: ManifestFile[] }
    | GeneratedFile[],
): Map<string, string> {
  const files = Array.isArray(output)
    ? output
    : [
        ...output.files,
        ...(output.manifests ?? []).map(m => ({
          path: m.path,
          content: toYamlDocuments(m.objects),
        })),
      ];
  return new Map(files.map(f => [f.path, f.content]));
}
