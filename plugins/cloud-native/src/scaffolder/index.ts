export { DeploymentPlanPreviewFieldExtension } from './fieldExtension';
export {
  ARCHITECTURE_FORM_KEYS,
  architectureFromFormData,
} from './architecture';
export type { ArchitectureFormKey } from './architecture';
