/**
 * Isomorphic types, schemas, annotations and permissions of the
 * Cloud-Native Deployment Orchestrator.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
