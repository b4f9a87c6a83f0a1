import { Config } from '@backstage/config';
import { Finding } from '../report/schema';

/**
 * What a platform team may set a policy rule to in
 * `cloudNative.policy.severityOverrides`: a finding severity, or `off`.
 *
 * @public
 */
export type SeverityOverride = Finding['severity'] | 'off';

const SEVERITY_OVERRIDES: ReadonlyArray<SeverityOverride> = [
  'error',
  'warning',
  'info',
  'off',
];

/**
 * The engine options that app-config sets (`cloudNative.helmPath`,
 * `cloudNative.policy.severityOverrides`). The scaffolder actions and the
 * backend's revalidation read them with {@link engineOptionsFromConfig}, so
 * that a package is judged by the same rules when it is generated and when
 * it is checked again later.
 *
 * @public
 */
export interface EngineConfigOptions {
  /** helm binary for the chart checks (default: located on PATH) */
  helmPath?: string;
  /** Severity per policy rule id; `off` drops the rule's findings */
  severityOverrides?: Record<string, SeverityOverride>;
}

/**
 * Reads the engine options from app-config. A severity other than error,
 * warning, info or off is a configuration error naming the key, not a value
 * handed on to the engine. The overrides are read as one object because rule
 * ids such as `policy/pdb-present` are not valid config key paths.
 *
 * @public
 */
export function engineOptionsFromConfig(config?: Config): EngineConfigOptions {
  const section = config?.getOptionalConfig('cloudNative');
  if (!section) {
    return {};
  }
  const key = 'cloudNative.policy.severityOverrides';
  const overrides = section.getOptional('policy.severityOverrides');
  if (
    overrides !== undefined &&
    (typeof overrides !== 'object' ||
      overrides === null ||
      Array.isArray(overrides))
  ) {
    throw new Error(`Invalid config at ${key}: expected an object`);
  }
  return {
    helmPath: section.getOptionalString('helmPath'),
    severityOverrides: overrides
      ? Object.fromEntries(
          Object.entries(overrides).map(([ruleId, value]) => {
            if (!SEVERITY_OVERRIDES.some(level => level === value)) {
              throw new Error(
                `Invalid config at ${key}.${ruleId}: '${String(
                  value,
                )}' is not one of ${SEVERITY_OVERRIDES.join(', ')}`,
              );
            }
            return [ruleId, value as SeverityOverride];
          }),
        )
      : undefined,
  };
}
