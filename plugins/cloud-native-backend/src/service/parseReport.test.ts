import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseReportText, summarizeReport } from './parseReport';
import { UnprocessableReportError } from './errors';

const EXAMPLE_REPORT = path.resolve(
  __dirname,
  '../../../../examples/web-app-t1/package/deployment-report.yaml',
);

describe('parseReportText', () => {
  let text: string;
  beforeAll(async () => {
    text = await fs.readFile(EXAMPLE_REPORT, 'utf8');
  });

  function issuesOf(input: string) {
    try {
      parseReportText(input, 'file:/r.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(UnprocessableReportError);
      return (error as UnprocessableReportError).issues;
    }
    throw new Error('expected the report to be refused');
  }

  it('parses a real report and digests its text', () => {
    const { report, reportDigest } = parseReportText(text, 'file:/r.yaml');
    expect(report.metadata.name).toBe('guestbook');
    expect(reportDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(parseReportText(`${text}\n`, 'x').reportDigest).not.toBe(
      reportDigest,
    );
  });

  it('names the field paths of schema errors', () => {
    expect(
      issuesOf(text.replace(/^ {2}specDigest: .*$/m, '  specDigest: 42')),
    ).toEqual([{ path: 'metadata.specDigest', message: expect.any(String) }]);
  });

  it('refuses duplicate keys, aliases and multiple documents', () => {
    expect(issuesOf(`${text}\nkind: Other\n`)[0].path).toMatch(/^line /);
    expect(issuesOf(`${text}\nx: &a [1]\ny: *a\n`)[0].message).toMatch(
      /aliases/,
    );
    expect(issuesOf(`${text}\n---\n${text}`).length).toBeGreaterThan(0);
  });

  it('refuses a non-object document', () => {
    expect(issuesOf('just text')).toEqual([
      { path: '', message: expect.any(String) },
    ]);
  });

  it('refuses absurdly long spec digests', () => {
    expect(
      issuesOf(
        text.replace(
          /^ {2}specDigest: .*$/m,
          `  specDigest: ${'a'.repeat(200)}`,
        ),
      ),
    ).toEqual([
      { path: 'metadata.specDigest', message: 'longer than 128 characters' },
    ]);
  });

  it('puts the issues in the message too', () => {
    expect(() =>
      parseReportText('kind: DeploymentReport', 'file:/r.yaml'),
    ).toThrow(
      /The deployment report at file:\/r\.yaml is malformed\n {2}apiVersion: /,
    );
  });
});

describe('summarizeReport', () => {
  it('counts errors and warnings and fails on either errors or failed areas', async () => {
    const { report } = parseReportText(
      await fs.readFile(EXAMPLE_REPORT, 'utf8'),
      'x',
    );
    expect(summarizeReport(report)).toEqual({
      validationStatus: 'pass',
      errors: 0,
      warnings: 0,
      monthlyCost: 160.49,
    });
    const finding = (severity: 'error' | 'warning') => ({
      ruleId: 'r',
      severity,
      file: 'f',
      message: 'm',
      anchors: [],
    });
    expect(
      summarizeReport({
        ...report,
        findings: [finding('warning'), finding('warning'), finding('error')],
        estimated_costs: { ...report.estimated_costs, monthly: null },
      }),
    ).toEqual({
      validationStatus: 'fail',
      errors: 1,
      warnings: 2,
      monthlyCost: null,
    });
    expect(
      summarizeReport({
        ...report,
        validation_results: {
          ...report.validation_results,
          helm_chart: 'fail',
        },
      }).validationStatus,
    ).toBe('fail');
  });
});
