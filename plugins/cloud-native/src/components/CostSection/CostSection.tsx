import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  CostLine,
  EstimatedCosts,
} from '@internal/backstage-plugin-cloud-native-common';
import { formatCost, formatQuantity } from '../../lib/format';
import { BarChart, BarDatum } from '../charts/BarChart';

type CostRow = CostLine & { id: number };

function toBars(record: Record<string, number> | undefined): BarDatum[] {
  return Object.entries(record ?? {}).map(([label, value]) => ({
    label,
    value,
  }));
}

/** One chart of the monthly cost by category or by service. */
function Breakdown(props: {
  by: 'category' | 'service';
  values: Record<string, number> | undefined;
  formatValue: (value: number) => string;
}) {
  const { by, values, formatValue } = props;
  return (
    <Grid item xs={12} md={6}>
      <Typography variant="subtitle1" component="h3">
        By {by}
      </Typography>
      {values ? (
        <BarChart
          title={`Monthly cost by ${by}`}
          data={toBars(values)}
          formatValue={formatValue}
        />
      ) : (
        <Typography variant="body2">Not broken down.</Typography>
      )}
    </Grid>
  );
}

function pricedLineColumns(
  currency: string,
  format: (value: number) => string,
): TableColumn<CostRow>[] {
  return [
    {
      title: 'Resource',
      field: 'resource',
      render: row =>
        row.source ? <Link to={row.source}>{row.resource}</Link> : row.resource,
    },
    { title: 'Category', field: 'category' },
    { title: 'Environment', field: 'environment' },
    { title: 'Service', field: 'service', emptyValue: '(shared)' },
    {
      title: 'Quantity',
      field: 'monthlyQuantity',
      type: 'numeric',
      render: row => formatQuantity(row.monthlyQuantity),
    },
    { title: 'Unit', field: 'unit' },
    {
      title: 'Unit price',
      field: 'unitPrice',
      type: 'numeric',
      render: row => `${row.unitPrice} ${currency}`,
    },
    {
      title: 'Monthly cost',
      field: 'monthlyCost',
      type: 'numeric',
      defaultSort: 'desc',
      render: row => format(row.monthlyCost),
    },
  ];
}

/** The expected monthly cost and, when priced, its range. */
function MonthlyTotal(props: {
  costs: EstimatedCosts;
  format: (value: number) => string;
}) {
  const { costs, format } = props;
  if (costs.monthly === null) {
    return (
      <Typography variant="body1" paragraph>
        No monthly estimate: the engine could not price this package.
      </Typography>
    );
  }
  const hasRange =
    costs.low !== undefined &&
    costs.low !== null &&
    costs.high !== undefined &&
    costs.high !== null;
  return (
    <Box display="flex" alignItems="baseline" style={{ gap: 16 }} mb={2}>
      <Typography variant="h4" component="p" aria-label="Monthly cost">
        {format(costs.monthly)}
        <Typography variant="body2" component="span">
          {' '}
          a month
        </Typography>
      </Typography>
      {hasRange && (
        <Typography variant="body1" aria-label="Cost range">
          range {format(costs.low as number)} – {format(costs.high as number)}
        </Typography>
      )}
    </Box>
  );
}

/** The monthly cost of each environment, as chips. */
function EnvironmentChips(props: {
  byEnvironment: Record<string, number> | undefined;
  format: (value: number) => string;
}) {
  const { byEnvironment, format } = props;
  if (Object.keys(byEnvironment ?? {}).length === 0) return null;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2}>
      {toBars(byEnvironment).map(env => (
        <Chip
          key={env.label}
          size="small"
          variant="outlined"
          label={`${env.label}: ${format(env.value)}`}
        />
      ))}
    </Box>
  );
}

/** The priced lines, searchable and sorted by cost. */
function PricedLines(props: {
  costs: EstimatedCosts;
  format: (value: number) => string;
}) {
  const { costs, format } = props;
  const lines: CostRow[] = (costs.lines ?? []).map((line, id) => ({
    ...line,
    id,
  }));
  if (lines.length === 0) return null;
  return (
    <Box mt={2}>
      <Table<CostRow>
        title={`Priced lines (${lines.length})`}
        options={{
          search: true,
          padding: 'dense',
          paging: lines.length > 20,
          pageSize: 20,
        }}
        columns={pricedLineColumns(costs.currency, format)}
        data={lines}
      />
    </Box>
  );
}

/** What the estimate assumes (traffic, hours, sizes ...). */
function Assumptions(props: { assumptions: string[] | undefined }) {
  const assumptions = props.assumptions ?? [];
  if (assumptions.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle1" component="h3">
        Assumptions
      </Typography>
      <ul aria-label="Assumptions">
        {assumptions.map((assumption, index) => (
          <li key={index}>
            <Typography variant="body2">{assumption}</Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}

/** How the estimate is made, folded away. */
function EstimateMethod(props: { method: string }) {
  return (
    <Accordion elevation={0}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="subtitle1" component="h3">
          How the estimate is made
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Box>
          {props.method.split('\n').map((paragraph, index) => (
            <Typography key={index} variant="body2" paragraph>
              {paragraph}
            </Typography>
          ))}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * The cost estimate: expected monthly cost and its range, charts by category
 * and by service, the priced lines, and how the estimate was made.
 */
export function CostSection(props: { costs: EstimatedCosts }) {
  const { costs } = props;
  const currency = costs.currency;
  const format = (value: number) => formatCost(value, currency);
  return (
    <InfoCard
      title="Estimated cost"
      subheader={
        costs.pricingDate
          ? `List prices of ${costs.pricingDate}, ${currency}`
          : currency
      }
    >
      <MonthlyTotal costs={costs} format={format} />
      <EnvironmentChips byEnvironment={costs.byEnvironment} format={format} />
      <Grid container spacing={2}>
        <Breakdown
          by="category"
          values={costs.byCategory}
          formatValue={format}
        />
        <Breakdown by="service" values={costs.byService} formatValue={format} />
      </Grid>
      <PricedLines costs={costs} format={format} />
      <Assumptions assumptions={costs.assumptions} />
      <EstimateMethod method={costs.method} />
    </InfoCard>
  );
}
