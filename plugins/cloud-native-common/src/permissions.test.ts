import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  cloudNativePermissions,
  cloudNativeReportReadPermission,
} from './permissions';

describe('cloud-native permissions', () => {
  it('are catalog-entity resource permissions with unique names', () => {
    for (const permission of cloudNativePermissions) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
    const names = cloudNativePermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(cloudNativeReportReadPermission.attributes.action).toBe('read');
  });
});
