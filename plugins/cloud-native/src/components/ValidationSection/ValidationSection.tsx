import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  cloudNativeApiRef,
  CloudNativeReport,
  RevalidationResponse,
} from '../../api/types';
import { createPackageFileResolver } from '../../lib/fileLinks';
import { formatDateTime } from '../../lib/format';
import { countFindings, overallValidationStatus } from '../../lib/validation';
import { RequestErrorPanel } from '../shared/RequestErrorPanel';
import { ValidationStatusLabel } from '../shared/StatusIcons';
import { DriftPanel } from './DriftPanel';
import { FindingsTable } from './FindingsTable';
import { ToolChecks, ValidationAreas } from './ValidationSummary';

export interface ValidationSectionProps {
  entity: Entity;
  report: CloudNativeReport;
  /** Called after a successful revalidation (to refresh the history) */
  onRevalidated?: (revalidation: RevalidationResponse) => void;
}

/**
 * Validation status per area, the tool checks and the findings of the
 * report; "Revalidate" validates the package in the repository again and
 * shows what drifted. After a revalidation the section shows its results.
 */
export function ValidationSection(props: ValidationSectionProps) {
  const { entity, report, onRevalidated } = props;
  const api = useApi(cloudNativeApiRef);
  const entityRef = stringifyEntityRef(entity);
  const resolveFile = createPackageFileResolver(
    entity,
    report.deployment_package.root,
  );

  const [revalidation, revalidate] = useAsyncFn(async () => {
    const result = await api.revalidate(entityRef);
    onRevalidated?.(result);
    return result;
  }, [api, entityRef, onRevalidated]);

  const current = revalidation.value;
  const results = current?.results ?? report.validation_results;
  const findings = current?.findings ?? report.findings;
  const status = current?.validationStatus ?? overallValidationStatus(results);
  const counts = countFindings(findings);

  return (
    <InfoCard
      title="Validation"
      subheader={
        current
          ? `Results of the revalidation of ${formatDateTime(
              current.validatedAt,
            )}`
          : 'Results recorded in the report'
      }
      action={
        <Box m={1}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={
              revalidation.loading ? (
                <CircularProgress size={16} />
              ) : (
                <RefreshIcon />
              )
            }
            disabled={revalidation.loading}
            onClick={() => revalidate()}
          >
            Revalidate
          </Button>
        </Box>
      }
    >
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={2}>
        <Typography variant="h6" component="p">
          Overall: <ValidationStatusLabel status={status} />
        </Typography>
        <Typography variant="body2">
          {counts.error} error{counts.error === 1 ? '' : 's'}, {counts.warning}{' '}
          warning{counts.warning === 1 ? '' : 's'}, {counts.info} info
        </Typography>
      </Box>

      {revalidation.error && (
        <Box mb={2}>
          <RequestErrorPanel
            error={revalidation.error}
            action="revalidate the deployment package"
          />
        </Box>
      )}
      {current && (
        <DriftPanel revalidation={current} resolveFile={resolveFile} />
      )}

      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <Typography variant="subtitle1" component="h3">
            By area
          </Typography>
          <ValidationAreas results={results} />
        </Grid>
        <Grid item xs={12} md={8}>
          <Typography variant="subtitle1" component="h3">
            {/* The revalidation response carries no tool checks */}
            {current
              ? 'Tool checks (as recorded in the report)'
              : 'Tool checks'}
          </Typography>
          <ToolChecks checks={report.tool_checks} />
        </Grid>
      </Grid>

      <Box mt={2}>
        <FindingsTable findings={findings} resolveFile={resolveFile} />
      </Box>
    </InfoCard>
  );
}
