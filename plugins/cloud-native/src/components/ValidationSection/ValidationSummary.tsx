import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ToolCheck,
  ValidationResults,
} from '@internal/backstage-plugin-cloud-native-common';
import { areaStatus, VALIDATION_AREAS } from '../../lib/validation';
import { ValidationStatusLabel } from '../shared/StatusIcons';
import { ColumnHeads } from '../shared/ColumnHeads';

/** pass / fail / n/a for each validation area of the package. */
export function ValidationAreas(props: { results: ValidationResults }) {
  return (
    <Table size="small" aria-label="Validation by area">
      <ColumnHeads columns={['Area', 'Result']} />
      <TableBody>
        {VALIDATION_AREAS.map(area => (
          <TableRow key={area.key} data-testid={`area-${area.key}`}>
            <TableCell>{area.label}</TableCell>
            <TableCell>
              <ValidationStatusLabel
                status={areaStatus(props.results, area.key)}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The checks run by the real tools (helm lint/template, kubectl kustomize). */
export function ToolChecks(props: { checks: ToolCheck[] | undefined }) {
  const checks = props.checks ?? [];
  if (!checks.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No tool checks were recorded: the package has nothing for helm or
        kustomize to check, or the report predates tool checks.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Tool checks">
      <ColumnHeads columns={['Area', 'Check', 'Result', 'Reason']} />
      <TableBody>
        {checks.map((check, index) => (
          <TableRow key={`${check.check}-${index}`}>
            <TableCell>{check.area}</TableCell>
            <TableCell>
              <code>{check.check}</code>
            </TableCell>
            <TableCell>
              <ValidationStatusLabel status={check.status} />
            </TableCell>
            <TableCell>{check.reason ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
