/**
 * Version of the engine, recorded in every report. Bump it when generated
 * output changes for the same spec.
 *
 * @public
 */
export const ENGINE_VERSION = '0.1.0';
