import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading an entity's deployment report and its history.
 *
 * @public
 */
export const cloudNativeReportReadPermission = createPermission({
  name: 'cloud-native.report.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Re-running validation and cost estimation on an entity's package.
 *
 * @public
 */
export const cloudNativeReportRevalidatePermission = createPermission({
  name: 'cloud-native.report.revalidate',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission of the cloud-native plugin, for registration with the
 * permissions registry.
 *
 * @public
 */
export const cloudNativePermissions = [
  cloudNativeReportReadPermission,
  cloudNativeReportRevalidatePermission,
];
