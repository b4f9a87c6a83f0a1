/**
 * File names of a deployment package that more than one layer relies on:
 * the report writes its file under this name, and the package writer and
 * reader recognise it (it is regenerated, never validated or hashed).
 */

/**
 * The report's own file name, at the package root.
 *
 * @public
 */
export const REPORT_FILE = 'deployment-report.yaml';
