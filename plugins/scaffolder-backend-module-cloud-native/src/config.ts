import { Config } from '@backstage/config';
import {
  EngineConfigOptions,
  engineOptionsFromConfig,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * Organisation defaults from app-config `cloudNative`: the spec fields
 * applied to specs that leave them out, and the engine options (helm,
 * policy severity overrides) that the backend's revalidation reads the same
 * way.
 *
 * @public
 */
export interface CloudNativeDefaults {
  registry?: string;
  cloud?: string;
  region?: string;
  tier?: string;
  /** Handed to the engine by every action that validates */
  engine?: EngineConfigOptions;
}

/** @public */
export function readCloudNativeDefaults(config?: Config): CloudNativeDefaults {
  const section = config?.getOptionalConfig('cloudNative');
  if (!section) {
    return {};
  }
  return {
    registry: section.getOptionalString('registry'),
    cloud: section.getOptionalString('cloud'),
    region: section.getOptionalString('region'),
    tier: section.getOptionalString('tier'),
    engine: engineOptionsFromConfig(config),
  };
}
