import { isPlainObject } from '../core/strict';
import { FileFinding } from '../core/validators';

/**
 * The IAM wildcard check of the package validation: any document that holds
 * AWS IAM policy statements (a SAM template, a serverless.yml, an IAM policy
 * or role document). Which files hold them is said by the skills that write
 * them (`FileCheck.iamPolicies`); the check itself knows only IAM.
 */
type IamFinding = FileFinding & {
  severity: 'error' | 'warning';
  objectPath: string;
};

/**
 * Actions that have no resource-level permissions: AWS only accepts
 * `Resource: '*'` for them, so a statement granting only these is reported
 * as a warning, not an error.
 */
const RESOURCE_STAR_ONLY = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'cloudwatch:PutMetricData',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

/** AWS managed policies that grant far more than a function needs. */
const BROAD_MANAGED_POLICY =
  /(^|\/)(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]+FullAccess)$/;

/** A service principal such as `lambda.amazonaws.com`. */
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The literal text of a value, when it is one (plain, Fn::Sub, Fn::Join). */
function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isPlainObject(value)) {
    const substitution = value['Fn::Sub'];
    if (typeof substitution === 'string') return substitution;
    if (Array.isArray(substitution) && typeof substitution[0] === 'string') {
      return substitution[0];
    }
    const join = value['Fn::Join'];
    if (
      Array.isArray(join) &&
      typeof join[0] === 'string' &&
      Array.isArray(join[1]) &&
      join[1].every(part => typeof part === 'string')
    ) {
      return (join[1] as string[]).join(join[0]);
    }
  }
  return undefined;
}

/** `${...}` placeholders (CloudFormation Fn::Sub, Serverless variables). */
const PLACEHOLDER = /\$\{[^}]*\}/g;

/** True when the text holds an IAM wildcard (`*` or `?`) outside placeholders. */
function hasWildcard(text: string): boolean {
  return /[*?]/.test(text.replace(PLACEHOLDER, 'x'));
}

/**
 * Resource types whose ARN resource part is `<type>/<name>[/<sub-resource>]`
 * or `<type>:<name>[:<sub-resource>]`: the name is what must be literal; a
 * wildcard after it (DynamoDB `table/orders/stream/*`, Kinesis
 * `stream/clicks/consumer/*`, log streams `log-group:<name>:*`, Lambda
 * versions `function:<name>:*`) stays inside the named resource.
 */
const RESOURCE_TYPE = /^([A-Za-z][A-Za-z0-9-]*)([/:])/;

/** Services whose resource part is the bare name (`arn:aws:sqs:r:a:<queue>`). */
const BARE_NAME_SERVICES = new Set(['sqs', 'sns', 's3']);

/** Secrets Manager appends `-` and 6 random characters to a secret's name. */
const SECRET_SUFFIX = /^[^*?]+-\?{6}$/;

interface ArnWildcard {
  severity: IamFinding['severity'];
  message: string;
}

/**
 * What a wildcard inside an ARN grants (undefined when it stays inside one
 * named resource, the least-privilege patterns):
 * - error: a wildcard in the partition, service, region or account, or in the
 *   resource's name from its first character on (`arn:aws:sqs:r:a:*`,
 *   `…:table/*`, `arn:aws:s3:::*`, `…:secret:*`): every resource of that kind;
 * - warning: a partial name (`…:sqs:r:a:orders-*`,
 *   `…:log-group:/aws/lambda/app-prod*`): every resource, present or future,
 *   whose name starts with that text (`orders-archive` too);
 * - nothing: S3 object keys of a named bucket (`arn:aws:s3:::bucket/*`, what
 *   object actions such as s3:GetObject take: keys are not known in
 *   advance), the 6-character suffix Secrets Manager appends to a named
 *   secret (`…:secret:name-??????`), sub-resources of a named resource
 *   (DynamoDB streams and indexes, Kinesis consumers, log streams of a named
 *   log group, Lambda versions), and a whole path segment under a named
 *   namespace (`…:secret:shop/api/*`: the secrets of one service, the IRSA
 *   policies of the cloud skill).
 *
 * `${...}` placeholders count as literal text (a resource of the template).
 */
function arnWildcard(text: string): ArnWildcard | undefined {
  if (!hasWildcard(text) || text === '*') return undefined;
  const quoted = `'${text}'`;
  const everything = (what: string): ArnWildcard => ({
    severity: 'error',
    message: `Allow on ${quoted}: the wildcard in the ${what} matches every resource of that kind: name the resource`,
  });
  if (!text.startsWith('arn:')) {
    // `${Bucket.Arn}/*`: a path under a resource of the template
    if (/^\$\{[^}]*\}\//.test(text)) return undefined;
    return everything('resource');
  }
  // placeholders (`${AWS::Region}`) hold colons: they count as literal text
  const parts = text.replace(PLACEHOLDER, 'x').split(':');
  if (parts.length < 6) return everything('ARN');
  const labels = ['partition', 'service', 'region', 'account'];
  for (let i = 1; i <= 4; i++) {
    if (hasWildcard(parts[i])) return everything(labels[i - 1]);
  }
  const service = parts[2];
  const resource = parts.slice(5).join(':');
  let name = resource;
  if (service === 's3') {
    // bucket[/key]: a wildcard in the key only is an object-level grant
    name = resource.split('/')[0];
    return hasWildcard(name) ? everything('bucket name') : undefined;
  }
  if (!BARE_NAME_SERVICES.has(service)) {
    const type = RESOURCE_TYPE.exec(resource);
    if (type) {
      const rest = resource.slice(type[0].length);
      if (service === 'secretsmanager' && SECRET_SUFFIX.test(rest)) {
        return undefined;
      }
      if (service === 'secretsmanager' || service === 'ssm') {
        // hierarchical names (`app/service/NAME`): the whole rest is the name
        name = rest;
      } else {
        // the name ends at the type's own separator (`table/orders/stream/*`,
        // `log-group:/aws/lambda/x:*`, `function:fn:*`)
        const end = rest.indexOf(type[2]);
        name = end === -1 ? rest : rest.slice(0, end);
      }
    }
  }
  if (!hasWildcard(name)) return undefined;
  const prefix = name.split(/[*?]/)[0];
  // `app/service/*`: every name of one named namespace (path segment)
  if (/^[^*?]*[A-Za-z0-9][^*?]*\/\*$/.test(name)) return undefined;
  if (/[A-Za-z0-9]/.test(prefix)) {
    return {
      severity: 'warning',
      message: `Allow on ${quoted}: grants every resource whose name starts with '${prefix}', present or future: name the resources`,
    };
  }
  return everything('resource name');
}

interface Context {
  file: string;
  findings: IamFinding[];
}

/**
 * `NotAction` / `NotResource` in an Allow statement grants everything except
 * what it lists: an error that names the field.
 */
function reportNegation(
  context: Context,
  statement: Record<string, unknown>,
  at: string,
  field: 'NotAction' | 'NotResource',
  noun: 'action' | 'resource',
) {
  if (!(field in statement)) return;
  report(
    context,
    `aws/iam-not-${noun}`,
    'error',
    `${at}.${field}`,
    `Allow with ${field} grants every other ${noun}: list the ${noun}s instead`,
    [],
  );
}

function report(
  context: Context,
  ruleId: string,
  severity: IamFinding['severity'],
  objectPath: string,
  message: string,
  anchors: string[],
) {
  context.findings.push({
    ruleId,
    severity,
    file: context.file,
    objectPath,
    message,
    anchors,
  });
}

function checkStatement(
  statement: unknown,
  at: string,
  trust: boolean,
  context: Context,
): void {
  if (!isPlainObject(statement)) return;
  // A Deny narrows permissions: wildcards there are guards, not grants
  if (statement.Effect === 'Deny') return;
  const actions = list(statement.Action).map(literal);
  const wildcardActions = actions.filter(
    action =>
      action === '*' ||
      (action !== undefined && /^[A-Za-z0-9-]+:\*$/.test(action)),
  );
  const resources = list(statement.Resource).map(literal);
  const starResource = resources.includes('*');
  if (wildcardActions.length > 0) {
    report(
      context,
      'aws/iam-wildcard-action',
      'error',
      `${at}.Action`,
      `Allow with wildcard action ${wildcardActions
        .map(a => `'${a}'`)
        .join(', ')}: name the actions the function needs`,
      actions.includes('*') && starResource
        ? ['checkov:CKV_AWS_1', 'checkov:CKV_AWS_63']
        : ['checkov:CKV_AWS_63'],
    );
  }
  reportNegation(context, statement, at, 'NotAction', 'action');
  if (starResource && !trust) {
    const onlyStarActions =
      actions.length > 0 &&
      actions.every(
        action => action !== undefined && RESOURCE_STAR_ONLY.has(action),
      );
    report(
      context,
      'aws/iam-wildcard-resource',
      onlyStarActions ? 'warning' : 'error',
      `${at}.Resource`,
      onlyStarActions
        ? `Resource '*' for ${actions.join(
            ', ',
          )}: these actions support no resource-level permissions`
        : "Allow on Resource '*': scope the statement to the named resources",
      ['checkov:CKV_AWS_355'],
    );
  }
  if (!trust) {
    const resourceList = list(statement.Resource);
    resourceList.forEach((resource, index) => {
      const text = literal(resource);
      const found = text === undefined ? undefined : arnWildcard(text);
      if (!found) return;
      report(
        context,
        'aws/iam-wildcard-resource',
        found.severity,
        Array.isArray(statement.Resource)
          ? `${at}.Resource[${index}]`
          : `${at}.Resource`,
        found.message,
        ['checkov:CKV_AWS_355'],
      );
    });
  }
  reportNegation(context, statement, at, 'NotResource', 'resource');
  const principal = statement.Principal;
  if (principal !== undefined) {
    const wildcard =
      principal === '*' ||
      (isPlainObject(principal) &&
        Object.values(principal).some(v => list(v).includes('*')));
    if (wildcard) {
      report(
        context,
        'aws/iam-wildcard-principal',
        statement.Condition ? 'warning' : 'error',
        `${at}.Principal`,
        statement.Condition
          ? "Principal '*' limited only by a Condition: prefer naming the principal"
          : "Principal '*' lets anyone use this grant",
        ['checkov:CKV_AWS_60'],
      );
    }
  }
  if (trust) {
    const services = isPlainObject(principal) ? list(principal.Service) : [];
    const otherKinds = isPlainObject(principal)
      ? Object.keys(principal).filter(k => k !== 'Service')
      : [];
    const specific =
      services.length > 0 &&
      otherKinds.length === 0 &&
      services.every(s => typeof s === 'string' && SERVICE_PRINCIPAL.test(s));
    if (!specific) {
      report(
        context,
        'aws/iam-trust-principal',
        'error',
        `${at}.Principal`,
        'a role trust policy must name specific service principals (for example lambda.amazonaws.com)',
        ['checkov:CKV_AWS_60'],
      );
    }
  }
}

function checkStatements(
  statements: unknown,
  at: string,
  trust: boolean,
  context: Context,
): void {
  list(statements).forEach((statement, index) =>
    checkStatement(
      statement,
      Array.isArray(statements) ? `${at}[${index}]` : at,
      trust,
      context,
    ),
  );
}

function checkManagedPolicy(value: unknown, at: string, context: Context) {
  const name = literal(value);
  if (name && BROAD_MANAGED_POLICY.test(name)) {
    report(
      context,
      'aws/iam-broad-managed-policy',
      'error',
      at,
      `managed policy '${name}' grants far more than one function needs`,
      ['checkov:CKV_AWS_1'],
    );
  }
}

/** SAM policy templates whose parameter is `*` grant every resource. */
function checkPolicyTemplate(value: unknown, at: string, context: Context) {
  if (!isPlainObject(value)) return;
  for (const [template, parameters] of Object.entries(value)) {
    if (!isPlainObject(parameters)) continue;
    for (const [name, parameter] of Object.entries(parameters)) {
      const text = literal(parameter);
      if (text === undefined || !hasWildcard(text)) continue;
      // a full ARN (SecretArn, ...) or a name SAM puts into one (QueueName)
      const found: ArnWildcard | undefined =
        text.startsWith('arn:') && text !== '*'
          ? arnWildcard(text)
          : {
              severity: 'error',
              message: `policy template ${template} with ${name}: '${text}' applies to every ${
                text === '*' ? '' : 'matching '
              }resource`,
            };
      if (found) {
        report(
          context,
          'aws/iam-wildcard-resource',
          found.severity,
          `${at}.${template}.${name}`,
          found.message,
          ['checkov:CKV_AWS_355'],
        );
      }
    }
  }
}

function walk(value: unknown, at: string, trust: boolean, context: Context) {
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      walk(item, `${at}[${index}]`, trust, context),
    );
    return;
  }
  if (!isPlainObject(value)) return;
  const join = (key: string) => (at ? `${at}.${key}` : key);
  for (const [key, item] of Object.entries(value)) {
    const path = join(key);
    if (key === 'Statement') {
      checkStatements(item, path, trust, context);
      continue;
    }
    if (key === 'statements' || key === 'iamRoleStatements') {
      // serverless.yml: provider.iam.role.statements (and the v2 name)
      checkStatements(item, path, false, context);
      continue;
    }
    if (
      key === 'AssumeRolePolicyDocument' ||
      key === 'assumeRolePolicyDocument'
    ) {
      walk(item, path, true, context);
      continue;
    }
    if (
      key === 'Policies' &&
      (typeof item === 'string' || Array.isArray(item))
    ) {
      // SAM: a managed policy name, an inline document or a policy template
      list(item).forEach((policy, index) => {
        const policyPath = Array.isArray(item) ? `${path}[${index}]` : path;
        if (typeof policy === 'string') {
          checkManagedPolicy(policy, policyPath, context);
        } else if (isPlainObject(policy) && 'Statement' in policy) {
          walk(policy, policyPath, trust, context);
        } else if (isPlainObject(policy) && 'PolicyDocument' in policy) {
          walk(policy, policyPath, trust, context);
        } else {
          checkPolicyTemplate(policy, policyPath, context);
        }
      });
      continue;
    }
    if (
      key === 'ManagedPolicyArns' ||
      key === 'managedPolicies' ||
      key === 'iamManagedPolicies'
    ) {
      list(item).forEach((policy, index) =>
        checkManagedPolicy(policy, `${path}[${index}]`, context),
      );
      continue;
    }
    walk(item, path, trust, context);
  }
}

/**
 * Finds over-broad IAM grants in a template, policy document or
 * serverless.yml: every Allow statement with `Action: '*'` or `service:*`,
 * `Resource: '*'` (a warning when the actions support nothing narrower), a
 * wildcard inside an ARN that reaches beyond one named resource (see
 * `arnWildcard`), `NotAction`/`NotResource`, a `*` principal, SAM policy
 * templates given `*` or a name pattern, broad AWS managed policies, and
 * role trust policies that do not name a specific service principal. Deny
 * statements are guards and are skipped.
 */
export function findIamWildcards(
  docOrTemplate: object,
  file = 'serverless/aws/template.yaml',
): IamFinding[] {
  const context: Context = { file, findings: [] };
  walk(docOrTemplate, '', false, context);
  return context.findings;
}
