/**
 * Isomorphic types, schemas, annotations and permissions of the
 * Cloud-Native Deployment Orchestrator.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './spec/schema';
export * from './spec/normalize';
export * from './spec/cron';
export * from './spec/secrets';
export * from './spec/pruneEmpty';
export * from './plan/types';
export * from './plan/rules';
export * from './plan/imageProfiles';
export * from './report/schema';
export * from './report/history';
export * from './jsonSchema';
export * from './config/engineOptions';
