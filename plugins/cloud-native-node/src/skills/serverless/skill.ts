import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, Skill, SkillOutput } from '../../core/types';
import { serverlessPlatforms } from '../../plan/serverless';
import { FunctionContext, functionContexts } from './context';
import { lambdaRuntime, reservedConcurrency, streamKind } from './aws/common';
import { SAM_TEMPLATE_PATH, buildSamTemplate } from './aws/sam';
import { SERVERLESS_YML_PATH, buildServerlessYml } from './aws/serverlessYml';
import { AzureRoleGrant, azureBinding, azureFiles } from './azure';
import { GcpBinding, gcpFiles, gcpTarget } from './gcp';
import { knativeFiles } from './knative';
import {
  AwsGrant,
  README_PATH,
  Targets,
  describeValue,
  renderReadme,
} from './readme';
import { JsonObject, JsonValue } from './types';
import { toCompatYaml } from './yaml';
import { byKey } from './names';
import { serverlessValidators } from './validators';

/** The SAM policies of each function, for the README's IAM summary. */
function awsGrants(template: JsonObject): AwsGrant[] {
  const grants: AwsGrant[] = [];
  const resources = template.Resources as Record<string, JsonObject>;
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const properties = resource.Properties as JsonObject;
    const name = String(properties.Description).split(':')[0];
    for (const policy of (properties.Policies as JsonValue[] | undefined) ??
      []) {
      if (!policy || typeof policy !== 'object' || Array.isArray(policy)) {
        continue;
      }
      if ('Statement' in policy) {
        grants.push({
          function: name,
          policy: 'Deny OnlyOwnEventSource',
          on: 'every resource but its own event source',
        });
        continue;
      }
      for (const [policyTemplate, parameters] of Object.entries(policy)) {
        const values = Object.values(parameters as JsonObject).map(
          describeValue,
        );
        grants.push({
          function: name,
          policy: policyTemplate,
          on: values.join(', '),
        });
      }
    }
  }
  return grants;
}

function awsNote(plan: DeploymentPlan, fn: FunctionContext): string {
  const runtime = lambdaRuntime(fn);
  const events: Record<string, string> = {
    http: `HttpApi ANY /${fn.name}`,
    queue: `SQS ${fn.source?.name ?? ''}`,
    storage: `S3 ObjectCreated on ${fn.source?.name ?? ''}`,
    schedule: 'ScheduleV2',
    stream: `${streamKind(fn)} stream ${fn.source?.name ?? ''}`,
  };
  const parts = [
    `AWS Lambda ${
      runtime.packageType === 'Image' ? 'image' : runtime.runtime
    } arm64`,
    events[fn.trigger].trim(),
  ];
  if (fn.async) parts.push('DLQ');
  if (plan.tier !== 'T1') parts.push('X-Ray');
  const reserved = reservedConcurrency(plan);
  if (reserved !== undefined) parts.push(`reserved concurrency ${reserved}`);
  return parts.join(', ');
}

function note(
  plan: DeploymentPlan,
  fn: FunctionContext,
  targets: Targets,
  outputs: Parameters<Skill['run']>[0]['outputs'],
): string {
  const parts: string[] = [];
  if (targets.aws) parts.push(awsNote(plan, fn));
  if (targets.azure) {
    parts.push(`Azure Functions Flex Consumption, ${azureBinding(fn)}`);
  }
  if (targets.gcp) {
    parts.push(
      gcpTarget(fn) === 'cloud-run'
        ? 'Cloud Run service'
        : 'Cloud Functions gen2 + Eventarc',
    );
  }
  if (targets.knative) {
    parts.push(
      `Knative Service${fn.trigger === 'http' ? '' : ' + Eventing Trigger'}`,
    );
  }
  const dockerfile = `containers/${fn.name}/Dockerfile`;
  const built = outputs['container-image-optimizer']?.files.some(
    f => f.path === dockerfile,
  );
  const image =
    fn.image && (targets.aws || targets.gcp || targets.knative)
      ? `; image ${fn.plan.image}${built ? ` from ${dockerfile}` : ''}`
      : '';
  return `${fn.name}: ${fn.trigger} trigger, ${fn.memoryMB} MB, ${
    fn.timeoutSeconds
  } s → ${parts.join('; ')}${image}`;
}

/**
 * The cloud-serverless-designer skill: deployable definitions for the
 * plan's serverless functions, by cloud — an AWS SAM template and a
 * serverless.yml (aws, multi-cloud), Azure Functions with an ARM template
 * (azure), Cloud Run / Cloud Functions gen2 with IAM bindings (gcp), Knative
 * Services and Eventing triggers (platform-agnostic, multi-cloud) — and a
 * README with the deploy commands and the IAM summary.
 */
export const cloudServerlessDesigner: Skill = {
  id: 'cloud-serverless-designer',
  validators: serverlessValidators,
  run({ plan, outputs }): SkillOutput {
    const fns = functionContexts(plan);
    if (fns.length === 0) {
      return {
        files: [],
        manifests: [],
        notes: ['no serverless functions in the plan: nothing to generate'],
      };
    }
    const targets = serverlessPlatforms(plan.cloud);
    const files: GeneratedFile[] = [];
    const iam: {
      aws: AwsGrant[];
      azure: AzureRoleGrant[];
      gcp: GcpBinding[];
    } = { aws: [], azure: [], gcp: [] };
    if (targets.aws) {
      const template = buildSamTemplate(plan, fns);
      iam.aws = awsGrants(template);
      files.push(
        { path: SAM_TEMPLATE_PATH, content: toCompatYaml(template) },
        {
          path: SERVERLESS_YML_PATH,
          content: toCompatYaml(buildServerlessYml(plan, fns)),
        },
      );
    }
    if (targets.azure) {
      const azure = azureFiles(plan, fns);
      files.push(...azure.files);
      iam.azure = azure.grants;
    }
    if (targets.gcp) {
      const gcp = gcpFiles(plan, fns);
      files.push(...gcp.files);
      iam.gcp = gcp.bindings;
    }
    if (targets.knative) files.push(...knativeFiles(plan, fns));
    files.push({
      path: README_PATH,
      content: renderReadme(plan, fns, targets, iam),
    });
    files.sort(byKey(f => f.path));
    return {
      files,
      manifests: [],
      notes: fns.map(fn => note(plan, fn, targets, outputs)),
    };
  },
};
