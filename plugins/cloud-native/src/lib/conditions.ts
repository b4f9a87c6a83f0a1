import { Entity } from '@backstage/catalog-model';
import { CLOUD_NATIVE_REPORT_ANNOTATION } from '@internal/backstage-plugin-cloud-native-common';

/**
 * Whether the entity points at a deployment report, that is whether the
 * cloud-native tab and card apply to it.
 *
 * @public
 */
export function isCloudNativeAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[CLOUD_NATIVE_REPORT_ANNOTATION]);
}

/**
 * The same condition as {@link isCloudNativeAvailable} as an entity predicate,
 * the form the new frontend system's blueprints take for `filter` (and that
 * app-config can override).
 *
 * @alpha
 */
export const cloudNativeEntityPredicate = {
  [`metadata.annotations.${CLOUD_NATIVE_REPORT_ANNOTATION}`]: {
    $exists: true,
  },
};
