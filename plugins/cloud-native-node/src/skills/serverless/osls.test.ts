import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { allTriggersSpec, exampleSpec, planOf } from './__fixtures__/plans';
import { findIamWildcards } from '../../validation/iam';
import { cloudServerlessDesigner, validateSamTemplate } from './index';
import { osls } from './__fixtures__/osls';

/*
 * The generated serverless.yml is checked by the open-source Serverless
 * Framework v3 fork (osls) itself, offline: `osls print` resolves variables
 * and validates the configuration against the framework's JSON schema
 * (configValidationMode: error turns problems into a failing exit), and
 * `osls package` compiles it to CloudFormation without AWS credentials.
 */

/** An empty zip archive (just the end-of-central-directory record). */
const EMPTY_ZIP = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
  Buffer.alloc(18),
]);

/** How osls reports a configuration problem. */
const PROBLEM = /^(Error|Warning):|Configuration (error|warning)/m;

/** Writes the package's serverless.yml (and empty zip artifacts) to a temp dir. */
function stage(plan: DeploymentPlan, edit?: (config: any) => void): string {
  const output = cloudServerlessDesigner.run({ plan, outputs: {} });
  const text = output.files.find(
    f => f.path === 'serverless/aws/serverless.yml',
  )!.content;
  const root = mkdtempSync(path.join(tmpdir(), 'cno-osls-'));
  const service = path.join(root, 'serverless', 'aws');
  mkdirSync(service, { recursive: true });
  mkdirSync(path.join(root, 'dist', 'aws'), { recursive: true });
  const config = parse(text);
  if (edit) edit(config);
  writeFileSync(
    path.join(service, 'serverless.yml'),
    edit ? stringify(config) : text,
  );
  for (const name of Object.keys(config.functions)) {
    writeFileSync(path.join(root, 'dist', 'aws', `${name}.zip`), EMPTY_ZIP);
  }
  return root;
}

const dirs: string[] = [];
function staged(plan: DeploymentPlan, edit?: (config: any) => void) {
  const root = stage(plan, edit);
  dirs.push(root);
  return path.join(root, 'serverless', 'aws');
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('serverless.yml validated by osls (offline)', () => {
  jest.setTimeout(120_000);

  it('osls print accepts the events-serverless-aws configuration', () => {
    const dir = staged(planOf(exampleSpec('events-serverless-aws')));
    const result = osls(dir, ['print', '--config', 'serverless.yml']);
    expect(result.output).not.toMatch(PROBLEM);
    expect(result.status).toBe(0);
    const printed = parse(result.output);
    expect(Object.keys(printed.functions).sort()).toEqual([
      'digest',
      'indexer',
      'metadata-api',
      'thumbnailer',
    ]);
    expect(printed.configValidationMode).toBe('error');
    expect(printed.provider.stage).toBe('prod');
    expect(printed.provider.s3.mediaUploads.name).toBe(
      'media-pipeline-media-uploads-prod',
    );
    expect(printed.functions.digest.events[0].schedule.rate).toEqual([
      'cron(0 6 * * ? *)',
    ]);
  });

  it('osls print accepts every trigger, language and a container image', () => {
    const dir = staged(planOf(allTriggersSpec('aws')));
    const result = osls(dir, ['print', '--config', 'serverless.yml']);
    expect(result.output).not.toMatch(PROBLEM);
    expect(result.status).toBe(0);
  });

  it('osls print gives back env values and source ARNs exactly as written (no variable resolved)', () => {
    const env: Record<string, string> = {
      A: 'hello ${env:CNO_PROBE}',
      B: '${file(./probe.txt)}',
      C: '${self:service} on ${sls:stage}',
      D: '$${env:CNO_PROBE}',
      E: '$\\${env:CNO_PROBE}',
      F: '\\\\${opt:stage}',
      G: 'price: $5, ${AWS::Region}, \\ and $',
      H: '${env:CNO_PROBE, "fallback"}',
      I: 'a$$\\$$${x:y}b\\',
    };
    const source = 'arn:aws:sqs:us-east-1:123456789012:q-${env:CNO_PROBE}';
    const dir = staged(
      planOf({
        apiVersion: 'cloud-native.backstage.io/v1alpha1',
        kind: 'Architecture',
        metadata: { name: 'probe' },
        spec: {
          type: 'event-driven',
          cloud: 'aws',
          platform: 'serverless',
          tier: 'T2',
          requirements: ['cost'],
          services: [
            {
              name: 'fn',
              workload: 'function',
              language: 'node',
              trigger: { type: 'queue', source },
              env,
            },
          ],
        },
      }),
    );
    writeFileSync(path.join(dir, 'probe.txt'), 'LEAKED');
    const result = osls(dir, ['print', '--config', 'serverless.yml'], {
      CNO_PROBE: 'LEAKED',
    });
    expect(result.output).not.toMatch(PROBLEM);
    expect(result.status).toBe(0);
    const printed = parse(result.output);
    expect(printed.functions.fn.environment).toEqual(env);
    expect(printed.functions.fn.events[0].sqs.arn).toBe(source);
    expect(
      [
        printed.provider.iam.role.statements.find(
          (s: any) => s.Sid === 'FnConsumeQueue',
        ).Resource,
      ].flat(),
    ).toEqual([source]);
    expect(result.output).not.toContain('LEAKED');
  });

  it('osls print fails on a seeded invalid key', () => {
    const dir = staged(planOf(exampleSpec('events-serverless-aws')), config => {
      config.functions.digest.memorySzie = 512;
    });
    const result = osls(dir, ['print', '--config', 'serverless.yml']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("unrecognized property 'memorySzie'");
  });

  it('osls package compiles it to CloudFormation that validates and grants no wildcard', () => {
    const dir = staged(planOf(exampleSpec('events-serverless-aws')));
    const result = osls(dir, ['package', '--config', 'serverless.yml']);
    expect(result.status).toBe(0);
    const compiled = JSON.parse(
      readFileSync(
        path.join(
          dir,
          '.serverless',
          'cloudformation-template-update-stack.json',
        ),
        'utf8',
      ),
    );
    const types = Object.values(compiled.Resources as Record<string, any>).map(
      r => r.Type,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::Lambda::EventSourceMapping',
        'AWS::Scheduler::Schedule',
        'AWS::SQS::Queue',
        'AWS::S3::Bucket',
      ]),
    );
    const file =
      'serverless/aws/.serverless/cloudformation-template-update-stack.json';
    expect(validateSamTemplate(compiled, file)).toEqual([]);
    // the framework adds X-Ray permissions on '*' (no resource-level
    // permissions exist for them) and log permissions on the log groups
    // named after the service and stage (`/aws/lambda/<service>-<stage>*`):
    // warnings, never an error
    const iam = findIamWildcards(compiled, file);
    expect(iam.filter(f => f.severity === 'error')).toEqual([]);
    expect(
      iam.every(f =>
        /xray:|log-group:\/aws\/lambda\/media-pipeline-prod\*:/.test(f.message),
      ),
    ).toBe(true);
  });
});
