/**
 * The cloud-native backend plugin: deployment reports of catalog entities,
 * their history and revalidation.
 *
 * @packageDocumentation
 */
export { cloudNativePlugin as default } from './plugin';
// The history item and the drift are types of the common package, which the
// frontend shares.
export type { ReportIssue } from './service/errors';
