import { Config } from '@backstage/config';

/**
 * Organisation defaults from app-config `cloudNative`, applied to specs that
 * leave these fields out.
 *
 * @public
 */
export interface CloudNativeDefaults {
  registry?: string;
  cloud?: string;
  region?: string;
  tier?: string;
  helmPath?: string;
  policySeverityOverrides?: Record<string, string>;
}

/** @public */
export function readCloudNativeDefaults(config?: Config): CloudNativeDefaults {
  const section = config?.getOptionalConfig('cloudNative');
  if (!section) {
    return {};
  }
  const overrides = section.getOptionalConfig('policy.severityOverrides');
  return {
    registry: section.getOptionalString('registry'),
    cloud: section.getOptionalString('cloud'),
    region: section.getOptionalString('region'),
    tier: section.getOptionalString('tier'),
    helmPath: section.getOptionalString('helmPath'),
    policySeverityOverrides: overrides
      ? Object.fromEntries(
          overrides.keys().map(key => [key, overrides.getString(key)]),
        )
      : undefined,
  };
}
