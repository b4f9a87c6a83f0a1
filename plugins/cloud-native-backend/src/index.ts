/**
 * The cloud-native backend plugin: deployment reports of catalog entities,
 * their history and revalidation.
 *
 * @packageDocumentation
 */
export { cloudNativePlugin as default } from './plugin';
export type { ReportHistoryItem } from './database';
export type { PackageDrift } from './service/PackageRevalidator';
export type { ReportIssue } from './service/errors';
