/**
 * Annotation on a catalog entity that points at its deployment report
 * (`deployment-report.yaml`), relative to the entity's own source location,
 * for example `./deployment/deployment-report.yaml`.
 *
 * @public
 */
export const CLOUD_NATIVE_REPORT_ANNOTATION =
  'cloud-native.backstage.io/report';

/**
 * Annotation on a catalog entity that points at the architecture spec the
 * package was generated from, relative to the entity's source location.
 *
 * @public
 */
export const CLOUD_NATIVE_SPEC_ANNOTATION = 'cloud-native.backstage.io/spec';

/**
 * The plugin id shared by the frontend plugin, the backend plugin and the
 * scaffolder module.
 *
 * @public
 */
export const CLOUD_NATIVE_PLUGIN_ID = 'cloud-native';
