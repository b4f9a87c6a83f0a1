import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { RevalidationResponse } from '../../api/types';
import { PackageFileLocation } from '../../lib/fileLinks';
import { formatCost, formatCostDelta, formatDateTime } from '../../lib/format';
import { ValidationStatusLabel } from '../shared/StatusIcons';
import { isNoDrift } from '@internal/backstage-plugin-cloud-native-common';

function FileList(props: {
  title: string;
  files: string[];
  resolveFile?: (file: string) => PackageFileLocation;
}) {
  const { title, files, resolveFile } = props;
  return (
    <Grid item xs={12} md={4}>
      <Typography variant="subtitle2" component="h4">
        {title} ({files.length})
      </Typography>
      {files.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          none
        </Typography>
      ) : (
        <ul aria-label={title} style={{ marginTop: 4 }}>
          {files.map(file => {
            const href = resolveFile?.(file).href;
            return (
              <li key={file}>
                {href ? <Link to={href}>{file}</Link> : <code>{file}</code>}
              </li>
            );
          })}
        </ul>
      )}
    </Grid>
  );
}

/** What changed between the recorded report and the package in the repository. */
export function DriftPanel(props: {
  revalidation: RevalidationResponse;
  resolveFile?: (file: string) => PackageFileLocation;
}) {
  const { revalidation, resolveFile } = props;
  const { drift } = revalidation;
  const currency = revalidation.estimatedCosts?.currency ?? 'USD';
  const noDrift = isNoDrift(drift);

  return (
    <Box data-testid="drift-panel" my={2}>
      <Typography variant="h6" component="h3">
        Revalidated {formatDateTime(revalidation.validatedAt)}:{' '}
        <ValidationStatusLabel status={revalidation.validationStatus} />
      </Typography>
      {noDrift ? (
        <Typography variant="body2">
          No drift: the package in the repository matches the report.
        </Typography>
      ) : (
        <>
          <Typography variant="body2">
            {drift.validationChanged
              ? 'The validation result changed since the report was written.'
              : 'The validation result did not change.'}{' '}
            Monthly cost: {formatCostDelta(drift.costDelta, currency)} (now{' '}
            {formatCost(revalidation.estimatedCosts?.monthly, currency)}).
          </Typography>
          <Grid container spacing={2}>
            <FileList
              title="Files added"
              files={drift.filesAdded}
              resolveFile={resolveFile}
            />
            <FileList title="Files removed" files={drift.filesRemoved} />
            <FileList
              title="Files modified"
              files={drift.filesModified}
              resolveFile={resolveFile}
            />
          </Grid>
        </>
      )}
    </Box>
  );
}
