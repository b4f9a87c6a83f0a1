import { InfoCard, Link } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { CloudNativeReport } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { ColumnHeads } from '../shared/ColumnHeads';

export interface StrategyHeaderProps {
  report: CloudNativeReport;
  /** Where the backend read the report */
  location?: string;
  fetchedAt?: string;
}

function locationHref(location: string): string | undefined {
  const target = location.replace(/^url:/, '');
  return /^https?:\/\//.test(target) ? target : undefined;
}

/** The deployment strategy: where and how the package deploys. */
export function StrategyHeader(props: StrategyHeaderProps) {
  const { report, location, fetchedAt } = props;
  const strategy = report.deployment_strategy;
  const href = location ? locationHref(location) : undefined;

  const facts: Array<[string, string]> = [
    ['Tier', strategy.tier],
    ['Platform', strategy.platform],
    ['Cloud', `${strategy.cloud} · ${strategy.region}`],
    ['Mesh', strategy.mesh],
    ['Packaging', strategy.packaging],
    [
      'Complexity',
      `${strategy.complexity.level} (score ${strategy.complexity.score})`,
    ],
  ];

  return (
    <InfoCard
      title={`Deployment strategy: ${report.metadata.name}`}
      subheader={
        <>
          Engine {report.metadata.engineVersion}
          {fetchedAt && ` · read ${formatDateTime(fetchedAt)}`}
          {location && ' · '}
          {location &&
            (href ? (
              <Link to={href}>{location}</Link>
            ) : (
              <span>{location}</span>
            ))}
        </>
      }
    >
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2}>
        {facts.map(([name, value]) => (
          <Chip
            key={name}
            size="small"
            color={name === 'Tier' ? 'primary' : 'default'}
            label={`${name}: ${value}`}
          />
        ))}
        <Chip
          size="small"
          variant="outlined"
          label={`Environments: ${strategy.environments.join(', ') || '—'}`}
        />
      </Box>
      <Typography variant="body2" color="textSecondary" paragraph>
        {strategy.complexity.why}
      </Typography>

      <Table size="small" aria-label="Services and their rollout strategy">
        <ColumnHeads
          columns={[
            'Service',
            'Workload',
            'Runtime',
            'Object',
            'Strategy',
            'Image',
          ]}
        />
        <TableBody>
          {strategy.services.map(service => (
            <TableRow key={service.name}>
              <TableCell>{service.name}</TableCell>
              <TableCell>{service.workload}</TableCell>
              <TableCell>{service.runtime}</TableCell>
              <TableCell>{service.objectKind}</TableCell>
              <TableCell>
                <Chip
                  size="small"
                  variant="outlined"
                  label={service.strategy}
                />
              </TableCell>
              <TableCell>
                <Typography
                  variant="caption"
                  style={{ wordBreak: 'break-all' }}
                >
                  {service.image}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      {strategy.rationale.length > 0 && (
        <Accordion elevation={0}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="subtitle2">
              Why this strategy ({strategy.rationale.length} decisions)
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <ul style={{ margin: 0 }}>
              {strategy.rationale.map((decision, index) => (
                <li key={`${decision.ruleId}-${index}`}>
                  <Typography variant="body2">
                    <strong>{decision.ruleId}</strong>: {decision.rationale}
                  </Typography>
                </li>
              ))}
            </ul>
          </AccordionDetails>
        </Accordion>
      )}

      {strategy.questions.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">
            Open questions (answered with an assumption)
          </Typography>
          <ul>
            {strategy.questions.map(question => (
              <li key={question.id}>
                <Typography variant="body2">
                  {question.question} <em>Assumed: {question.assumption}</em>
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </InfoCard>
  );
}
