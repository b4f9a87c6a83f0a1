import { stringify } from 'yaml';
import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from './loadSpec';
import { generatePackage } from './orchestrate';
import { builtinSkills } from './skills';
import {
  builtinValidators,
  skillValidators,
  validatePackage,
} from './validators';
import { validatePackage as validateWithout } from '../validation';
import { GeneratedFile } from '../core/types';

/** A small plan, with the GitOps tool given (none by default). */
function planWith(gitops = 'none', environments = '[dev]') {
  return createPlan(
    parseSpecText(
      `
apiVersion: cloud-native.backstage.io/v1alpha1
kind: Architecture
metadata:
  name: shop
spec:
  type: microservices
  cloud: aws
  tier: T2
  requirements: [performance]
  gitops: ${gitops}
  environments: ${environments}
  services:
    - name: api
      workload: service
      language: go
      port: 8080
`,
      'test',
    ),
  );
}

const plan = planWith();

/** A Linkerd Server with a typo, a Knative Service and a broken SAM template. */
const files: GeneratedFile[] = [
  {
    path: 'mesh/dev/api.yaml',
    content: stringify({
      apiVersion: 'policy.linkerd.io/v1beta2',
      kind: 'Server',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { podSelector: { matchLabels: {} }, port: 'http', protocl: 'x' },
    }),
  },
  {
    path: 'gitops/argocd/dev.yaml',
    content: stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: { sourceRepo: ['x'] },
    }),
  },
  { path: 'serverless/aws/template.yaml', content: 'Resources: [' },
];

const byRule = (findings: Array<{ ruleId: string; file: string }>) =>
  findings.map(f => `${f.ruleId} ${f.file}`).sort();

describe('the validators the skills declare', () => {
  it('are gathered from every built-in skill', () => {
    expect(builtinValidators.objects.map(v => v.name).sort()).toEqual([
      'cloud-custom-resources',
      'gitops',
      'knative',
      'linkerd',
    ]);
    expect(builtinValidators.files.map(f => f.name).sort()).toEqual([
      'aws-iam-documents',
      'aws-sam-template',
      'serverless-framework',
    ]);
    expect(skillValidators({})).toEqual({ objects: [], files: [] });
  });

  it('find the problems of a package read without running the skills', async () => {
    const result = await validatePackage(plan, files, { tools: false });
    const own = result.findings.filter(
      f => f.ruleId === 'schema/invalid' || f.ruleId === 'serverless/parse',
    );
    expect(byRule(own)).toEqual(
      expect.arrayContaining([
        'schema/invalid gitops/argocd/dev.yaml',
        'schema/invalid mesh/dev/api.yaml',
        'serverless/parse serverless/aws/template.yaml',
      ]),
    );
    // One parse finding per file, however many checks the file is of
    expect(
      own.filter(f => f.file === 'serverless/aws/template.yaml'),
    ).toHaveLength(1);
    expect(own.find(f => f.file === 'mesh/dev/api.yaml')?.anchors).toEqual([
      'linkerd-crd-strict',
    ]);
  });

  it('are what the validation runs: without them it knows no Linkerd, Argo CD or SAM', async () => {
    const result = await validateWithout(plan, files, { tools: false });
    expect(byRule(result.findings)).not.toContain(
      'serverless/parse serverless/aws/template.yaml',
    );
    expect(
      result.findings.find(f => f.file === 'mesh/dev/api.yaml')?.anchors,
    ).not.toEqual(['linkerd-crd-strict']);
  });
});

describe('the gitops-generator skill', () => {
  const gitopsPlan = planWith('argocd', '[dev, prod]');

  it('runs last, after the skills whose output it syncs, with its own trace entry', async () => {
    const pkg = await generatePackage(gitopsPlan, { tools: false });
    const skills = pkg.report.trace.map(t => t.skill);
    expect(skills[skills.length - 1]).toBe('gitops-generator');
    const entry = pkg.report.trace.find(t => t.skill === 'gitops-generator')!;
    expect(entry).toMatchObject({ status: 'ok', files: 3 });
    expect(
      pkg.report.skills_invoked.find(s => s.skill === 'gitops-generator')
        ?.files,
    ).toEqual([
      'gitops/argocd/README.md',
      'gitops/argocd/dev.yaml',
      'gitops/argocd/prod.yaml',
    ]);
  });

  it('owns the findings of its files', async () => {
    const broken = await generatePackage(gitopsPlan, {
      tools: false,
      skills: {
        ...builtinSkills,
        'gitops-generator': {
          ...builtinSkills['gitops-generator']!,
          run: context => {
            const output = builtinSkills['gitops-generator']!.run(context);
            return {
              ...output,
              files: output.files.map(f =>
                f.path.endsWith('dev.yaml')
                  ? {
                      ...f,
                      content: f.content.replace('syncPolicy', 'syncPolicyy'),
                    }
                  : f,
              ),
            };
          },
        },
      },
    });
    const entry = broken.report.trace.find(
      t => t.skill === 'gitops-generator',
    )!;
    expect(entry.status).toBe('failed');
    expect(entry.findings).toBeGreaterThan(0);
    expect(
      broken.findings.some(
        f =>
          f.file === 'gitops/argocd/dev.yaml' && f.ruleId === 'schema/invalid',
      ),
    ).toBe(true);
  });
});
