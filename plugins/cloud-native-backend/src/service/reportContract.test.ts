import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  deploymentReportSchema,
  parseDeploymentReport,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseReportText } from './parseReport';

/**
 * The report contract of the common package against what the engine really
 * writes: every golden report must parse, lose nothing in the parse, and use
 * no key that the contract (and so its types) does not declare. A key the
 * engine starts writing, or one the schema stops declaring, fails here
 * instead of travelling untyped through `.passthrough()`.
 */

const REPO = path.resolve(__dirname, '../../../..');

async function goldenReports(): Promise<string[]> {
  const roots = (await fs.readdir(path.join(REPO, 'examples'))).map(name =>
    path.join('examples', name),
  );
  const found: string[] = [];
  for (const root of [...roots, 'deploy']) {
    const file = path.join(root, 'package', 'deployment-report.yaml');
    try {
      await fs.access(path.join(REPO, file));
      found.push(file);
    } catch {
      // not an example folder
    }
  }
  return found;
}

/** The keys of `value` (at their paths) that `schema` does not declare. */
function undeclaredKeys(
  schema: z.ZodType,
  value: unknown,
  at: string,
): string[] {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    innerType?: z.ZodType;
    element?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    valueType?: z.ZodType;
  };
  if (def.innerType) {
    // optional, nullable, default
    return value === undefined || value === null
      ? []
      : undeclaredKeys(def.innerType, value, at);
  }
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    return value.flatMap((item, i) =>
      undeclaredKeys(def.element!, item, `${at}[${i}]`),
    );
  }
  if (def.type === 'record' && def.valueType && value) {
    return Object.entries(value).flatMap(([key, item]) =>
      undeclaredKeys(def.valueType!, item, `${at}.${key}`),
    );
  }
  if (def.type === 'object' && def.shape && value) {
    const shape = def.shape;
    return Object.entries(value).flatMap(([key, item]) =>
      key in shape
        ? undeclaredKeys(shape[key], item, at ? `${at}.${key}` : key)
        : [at ? `${at}.${key}` : key],
    );
  }
  return [];
}

describe('the report contract', () => {
  it('finds the golden reports', async () => {
    expect((await goldenReports()).length).toBeGreaterThanOrEqual(10);
  });

  it('declares every key the engine writes, and loses none in a parse', async () => {
    for (const file of await goldenReports()) {
      const text = await fs.readFile(path.join(REPO, file), 'utf8');
      const { report } = parseReportText(text, file);
      expect({
        file,
        undeclared: undeclaredKeys(deploymentReportSchema, report, ''),
      }).toEqual({ file, undeclared: [] });
      // the parse returns what the file says: no key dropped or defaulted
      expect(report).toEqual(parseYaml(text));
    }
  });

  const SHOP = 'examples/shop-eks-t2/package/deployment-report.yaml';

  it('reads the tool checks and cost lines as the engine writes them', async () => {
    const text = await fs.readFile(path.join(REPO, SHOP), 'utf8');
    const { report } = parseReportText(text, SHOP);
    expect(report.tool_checks?.length).toBeGreaterThan(0);
    expect(report.tool_checks?.[0]).toEqual({
      area: expect.stringMatching(/^(helm_chart|kustomize|server_dry_run)$/),
      check: expect.any(String),
      status: expect.stringMatching(/^(pass|fail|skipped)$/),
    });
    // (keys beyond these are caught by the undeclared-keys test above)
    expect(report.estimated_costs.lines?.[0]).toEqual(
      expect.objectContaining({
        resource: expect.any(String),
        category: expect.any(String),
        environment: expect.any(String),
        monthlyQuantity: expect.any(Number),
        unit: expect.any(String),
        unitPrice: expect.any(Number),
        monthlyCost: expect.any(Number),
        source: expect.any(String),
      }),
    );
    expect(report.validation_results.serverless).toBe('n/a');
  });

  it('refuses a tool check or a cost line of the wrong shape', async () => {
    const text = await fs.readFile(path.join(REPO, SHOP), 'utf8');
    const badStatus = parseYaml(text);
    badStatus.tool_checks[0].status = 'maybe';
    expect(parseDeploymentReport(badStatus)).toMatchObject({
      ok: false,
      issues: [{ path: 'tool_checks[0].status' }],
    });
    const noPrice = parseYaml(text);
    delete noPrice.estimated_costs.lines[0].unitPrice;
    expect(parseDeploymentReport(noPrice)).toMatchObject({
      ok: false,
      issues: [{ path: 'estimated_costs.lines[0].unitPrice' }],
    });
  });
});
