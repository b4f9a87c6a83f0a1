import {
  RootConfigService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import {
  createPlan,
  DeploymentReport,
  EngineConfigOptions,
  engineOptionsFromConfig,
  ReportDrift,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  GeneratedFile,
  parseSpecText,
  readPackageDirectory,
  REPORT_FILE,
  reportExistingPackage,
  SpecValidationError,
  UnsafePathError,
} from '@internal/backstage-plugin-cloud-native-node';
import { parseReportText, sha256, summarizeReport } from './parseReport';
import { ReportSourceError, UnprocessableReportError } from './errors';
import { assertRealPathInside, ReportLocation } from './ReportLocator';

const SPEC_FILE = 'architecture.yaml';

/**
 * The result of revalidating a package as it is now.
 *
 * @internal
 */
export interface RevalidationResult {
  validatedAt: string;
  validationStatus: 'pass' | 'fail';
  results: DeploymentReport['validation_results'];
  findings: DeploymentReport['findings'];
  estimatedCosts: DeploymentReport['estimated_costs'];
  drift: ReportDrift;
  /** The new report and the sha256 of its text, for the history */
  report: DeploymentReport;
  reportDigest: string;
}

/**
 * Re-runs validation and cost estimation on an entity's package as it is in
 * its repository now. The package root is the directory of the report file;
 * `architecture.yaml` there is the spec.
 *
 * @internal
 */
export class PackageRevalidator {
  static fromConfig(
    config: RootConfigService,
    deps: { urlReader: UrlReaderService },
  ): PackageRevalidator {
    return new PackageRevalidator(
      deps.urlReader,
      config.getOptionalBoolean('cloudNative.revalidate.runTools') ?? false,
      // the same policy overrides and helm as the scaffolder actions, so a
      // rule the platform team turned off stays off on revalidation
      engineOptionsFromConfig(config),
    );
  }

  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly runTools: boolean,
    private readonly engineOptions: EngineConfigOptions,
  ) {}

  async revalidate(
    location: ReportLocation,
    baseline: DeploymentReport,
  ): Promise<RevalidationResult> {
    const files = await this.readPackage(location);
    const spec = files.find(file => file.path === SPEC_FILE);
    if (!spec) {
      throw new UnprocessableReportError(
        `The package next to ${location.ref} cannot be revalidated`,
        [{ path: SPEC_FILE, message: 'missing from the package root' }],
      );
    }
    let architecture;
    try {
      architecture = parseSpecText(spec.content, SPEC_FILE);
    } catch (error) {
      if (error instanceof SpecValidationError) {
        throw new UnprocessableReportError(
          `The package's ${SPEC_FILE} is invalid`,
          error.issues.map(issue => ({
            path: `${SPEC_FILE}: ${issue.path}`,
            message: issue.message,
          })),
        );
      }
      throw error;
    }

    const pkg = await reportExistingPackage(createPlan(architecture), files, {
      ...this.engineOptions,
      tools: this.runTools,
    });
    const reportText =
      pkg.files.find(file => file.path === REPORT_FILE)?.content ?? '';
    // the engine's own output passes the schema; parse it like any report so
    // the history stores exactly what a reader of the file would see
    const { report, reportDigest } = parseReportText(
      reportText,
      `${location.ref} (revalidated)`,
    );
    const now = summarizeReport(report);
    const before = summarizeReport(baseline);

    return {
      validatedAt: new Date().toISOString(),
      validationStatus: now.validationStatus,
      results: report.validation_results,
      findings: report.findings,
      estimatedCosts: report.estimated_costs,
      drift: {
        ...fileDrift(baseline, files),
        validationChanged:
          now.validationStatus !== before.validationStatus ||
          !sameResults(baseline.validation_results, report.validation_results),
        costDelta: roundCents(
          (now.monthlyCost ?? 0) - (before.monthlyCost ?? 0),
        ),
      },
      report,
      reportDigest,
    };
  }

  private async readPackage(
    location: ReportLocation,
  ): Promise<GeneratedFile[]> {
    if (location.type === 'file') {
      const dir = await assertRealPathInside(
        location.packageDir,
        location.roots,
        'Package directory',
      );
      try {
        return await readPackageDirectory(dir);
      } catch (error) {
        if (error instanceof UnsafePathError) {
          throw new NotFoundError(
            `Package directory not found: ${location.packageDir}`,
          );
        }
        throw error;
      }
    }

    try {
      const tree = await this.urlReader.readTree(location.packageUrl);
      const files = await tree.files();
      const read = await Promise.all(
        files.map(async file => ({
          path: file.path,
          content: (await file.content()).toString('utf8'),
        })),
      );
      return read.sort((a, b) => compare(a.path, b.path));
    } catch (error) {
      if (isError(error) && error.name === NotFoundError.name) {
        throw new NotFoundError(
          `Package not found at ${location.packageUrl}`,
          error,
        );
      }
      throw new ReportSourceError(
        `Could not read the package at ${location.packageUrl}`,
        error,
      );
    }
  }
}

function fileDrift(
  baseline: DeploymentReport,
  files: ReadonlyArray<GeneratedFile>,
): Pick<ReportDrift, 'filesAdded' | 'filesRemoved' | 'filesModified'> {
  const expected = new Map(
    baseline.deployment_package.files.map(file => [file.path, file.sha256]),
  );
  // the report does not list itself
  const actual = new Map(
    files
      .filter(file => file.path !== REPORT_FILE)
      .map(file => [file.path, sha256(file.content)]),
  );
  const filesAdded = [...actual.keys()].filter(p => !expected.has(p));
  const filesRemoved = [...expected.keys()].filter(p => !actual.has(p));
  const filesModified = [...actual.entries()]
    .filter(([p, digest]) => expected.has(p) && expected.get(p) !== digest)
    .map(([p]) => p);
  return {
    filesAdded: filesAdded.sort(compare),
    filesRemoved: filesRemoved.sort(compare),
    filesModified: filesModified.sort(compare),
  };
}

function sameResults(
  a: DeploymentReport['validation_results'],
  b: DeploymentReport['validation_results'],
): boolean {
  const before = a as Record<string, unknown>;
  const now = b as Record<string, unknown>;
  // an area one report does not mention was not applicable there
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...keys].every(key => (before[key] ?? 'n/a') === (now[key] ?? 'n/a'));
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Code-point order, as the engine sorts package files. */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
