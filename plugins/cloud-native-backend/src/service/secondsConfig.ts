import { RootConfigService } from '@backstage/backend-plugin-api';

/**
 * A duration in seconds read from config (`key`), or `defaultSeconds` when
 * the key is unset. A value below `atLeast` stops the backend at startup with
 * the key named, instead of a cache or timeout that misbehaves later:
 * `atLeast: 0` allows 0 (a TTL of 0 turns a cache off), `'more than 0'` does
 * not.
 */
export function readSecondsConfig(
  config: RootConfigService,
  setting: { key: string; defaultSeconds: number; atLeast: 0 | 'more than 0' },
): number {
  const { key, defaultSeconds, atLeast } = setting;
  const seconds = config.getOptionalNumber(key) ?? defaultSeconds;
  if (atLeast === 0 && !(seconds >= 0)) {
    throw new Error(`${key} must be 0 or more, got ${seconds}`);
  }
  if (atLeast === 'more than 0' && !(seconds > 0)) {
    throw new Error(`${key} must be more than 0, got ${seconds}`);
  }
  return seconds;
}
