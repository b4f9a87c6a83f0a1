import { CostCategory, CostEstimate } from './estimate';

const CATEGORY_ORDER: CostCategory[] = [
  'compute',
  'control-plane',
  'storage',
  'networking',
  'serverless',
];

function money(value: number): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
}

function quantity(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) {
    return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  }
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * The estimate as a plain-text table: one row per line (resource,
 * environment, quantity, unit, monthly cost), grouped by category with
 * subtotals, then the total with its low-high range, the pricing date, the
 * recommendations and the method. Used by `cno cost`.
 *
 * @public
 */
export function formatCostTable(estimate: CostEstimate): string {
  const headers = ['Resource', 'Env', 'Quantity', 'Unit', 'USD/month'];
  const rows: string[][] = [];
  const subtotalRows = new Set<number>();
  const categories = [
    ...CATEGORY_ORDER,
    ...Object.keys(estimate.byCategory).filter(
      c => !CATEGORY_ORDER.includes(c as CostCategory),
    ),
  ];
  for (const category of categories) {
    const lines = estimate.lines.filter(l => l.category === category);
    if (lines.length === 0) continue;
    for (const l of lines) {
      rows.push([
        l.resource,
        l.environment,
        quantity(l.monthlyQuantity),
        l.unit,
        money(l.monthlyCost),
      ]);
    }
    subtotalRows.add(rows.length);
    rows.push([
      `subtotal ${category}`,
      '',
      '',
      '',
      money(estimate.byCategory[category] ?? 0),
    ]);
  }
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const right = [false, false, true, false, true];
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i], right[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map(w => '-'.repeat(w)).join('  ');
  const out: string[] = [render(headers), rule];
  rows.forEach((row, index) => {
    out.push(render(row));
    if (subtotalRows.has(index)) out.push('');
  });
  out.push(rule);
  out.push(
    `Total: ${money(estimate.total)} ${estimate.currency}/month (range ${money(
      estimate.low,
    )} - ${money(estimate.high)})`,
  );
  const environments = Object.entries(estimate.byEnvironment)
    .map(([env, cost]) => `${env} ${money(cost)}`)
    .join(', ');
  if (environments) out.push(`By environment: ${environments}`);
  out.push(`Pricing date: ${estimate.pricingDate}`);
  if (estimate.recommendations.length > 0) {
    out.push('', 'Recommendations (savings per month, not additive):');
    for (const r of estimate.recommendations) {
      out.push(
        `- [${r.id}] ${money(r.monthlySavingsLow)} - ${money(
          r.monthlySavingsHigh,
        )} ${estimate.currency}: ${r.text}`,
      );
    }
  }
  out.push('', 'Assumptions:');
  for (const a of estimate.assumptions) out.push(`- ${a}`);
  out.push('', 'Method:', estimate.method);
  return `${out.join('\n')}\n`;
}
