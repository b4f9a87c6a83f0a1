import {
  DeploymentReport,
  parseDeploymentReport,
} from '@internal/backstage-plugin-cloud-native-common';
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { ReportIssue, UnprocessableReportError } from './errors';

/** Reports are a few hundred kB at most; refuse anything far larger. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/** Digests are sha256 hex; a longer value would only bloat the history index. */
const MAX_SPEC_DIGEST_LENGTH = 128;

/** @internal */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Parses and validates the text of a `deployment-report.yaml`. Throws
 * {@link UnprocessableReportError} (422) naming each problem: the line and
 * column of YAML syntax errors, the field path of schema errors. Aliases are
 * refused: a report is plain data, and aliases can blow documents up
 * ("billion laughs").
 *
 * @internal
 */
export function parseReportText(
  text: string,
  location: string,
): { report: DeploymentReport; reportDigest: string } {
  const malformed = (issues: ReportIssue[]) =>
    new UnprocessableReportError(
      `The deployment report at ${location} is malformed`,
      issues,
    );
  if (Buffer.byteLength(text) > MAX_REPORT_BYTES) {
    throw malformed([
      {
        path: '(document)',
        message: `larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB`,
      },
    ]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, merge: false });
  if (doc.errors.length > 0) {
    throw malformed(
      doc.errors.map(error => ({
        path: error.linePos
          ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}`
          : '(document)',
        // only the first line: the rest quotes the source
        message: error.message.split('\n')[0],
      })),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    throw malformed([
      {
        path: '(document)',
        message: `YAML aliases are not allowed (${(error as Error).message})`,
      },
    ]);
  }
  const result = parseDeploymentReport(value);
  if (!result.ok) {
    throw malformed(result.issues);
  }
  if (result.report.metadata.specDigest.length > MAX_SPEC_DIGEST_LENGTH) {
    throw malformed([
      {
        path: 'metadata.specDigest',
        message: `longer than ${MAX_SPEC_DIGEST_LENGTH} characters`,
      },
    ]);
  }
  return { report: result.report, reportDigest: sha256(text) };
}

/**
 * The summary of a report that the history keeps.
 *
 * @internal
 */
export function summarizeReport(report: DeploymentReport): {
  validationStatus: 'pass' | 'fail';
  errors: number;
  warnings: number;
  monthlyCost: number | null;
} {
  const errors = report.findings.filter(f => f.severity === 'error').length;
  const warnings = report.findings.filter(f => f.severity === 'warning').length;
  const failed = Object.values(report.validation_results).some(
    result => result === 'fail',
  );
  return {
    validationStatus: errors > 0 || failed ? 'fail' : 'pass',
    errors,
    warnings,
    monthlyCost: report.estimated_costs.monthly ?? null,
  };
}
