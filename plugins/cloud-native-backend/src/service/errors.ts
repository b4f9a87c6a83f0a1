import { CustomErrorBase } from '@backstage/errors';

/**
 * One problem of a malformed report or package, by field path (or line and
 * column for YAML syntax errors).
 *
 * @public
 */
export interface ReportIssue {
  path: string;
  message: string;
}

/**
 * The deployment report (or the package's spec) was read but is not usable:
 * broken YAML or a document that does not match the report schema. Answered
 * with 422; the `issues` are serialized into the error body next to the
 * message, so clients can show the field paths.
 *
 * `@backstage/errors` has no 422 class; Backstage's error handler takes the
 * status from a `statusCode` property. It is a getter so that it stays out of
 * the serialized body.
 *
 * @internal
 */
export class UnprocessableReportError extends CustomErrorBase {
  name = 'UnprocessableReportError' as const;
  readonly issues: ReportIssue[];

  constructor(message: string, issues: ReportIssue[]) {
    super(
      `${message}\n${issues
        .map(issue => `  ${issue.path || '(document)'}: ${issue.message}`)
        .join('\n')}`,
    );
    this.issues = issues;
  }

  get statusCode(): number {
    return 422;
  }
}

/**
 * The source holding the report (an SCM host behind the UrlReader) failed:
 * answered with 502, as the problem is upstream of this backend.
 *
 * @internal
 */
export class ReportSourceError extends CustomErrorBase {
  name = 'ReportSourceError' as const;

  get statusCode(): number {
    return 502;
  }
}
