/**
 * The cloud-serverless-designer skill and the validators the engine runs on
 * its output.
 *
 * Output layout (by plan.cloud):
 *
 * - aws, multi-cloud: `serverless/aws/template.yaml` (AWS SAM) and
 *   `serverless/aws/serverless.yml` (Serverless Framework v3 / osls)
 * - azure: `serverless/azure/{host.json,main.json,deploy.sh,<fn>/function.json}`
 * - gcp: `serverless/gcp/{run/<fn>.yaml,functions.yaml,iam.yaml,env/<fn>.yaml}`
 * - platform-agnostic, multi-cloud: `serverless/knative/<fn>.yaml`
 * - always: `serverless/README.md`
 */
export { cloudServerlessDesigner } from './skill';
export { validateSamTemplate, SAM_TRANSFORM } from './validate/samTemplate';
export {
  KNATIVE_API_VERSIONS,
  isKnativeObject,
  validateKnativeObject,
} from './knativeSchemas';
export { serverlessValidators } from './validators';
export type { KnativeKind } from './knativeSchemas';
export type { ServerlessFinding } from './types';
export { buildSamTemplate, SAM_TEMPLATE_PATH } from './aws/sam';
export { buildServerlessYml, SERVERLESS_YML_PATH } from './aws/serverlessYml';
export { awsCronExpressions, ncrontab, standardCron } from './cron';
export { functionContexts } from './context';
export type { FunctionContext, EventSource } from './context';
