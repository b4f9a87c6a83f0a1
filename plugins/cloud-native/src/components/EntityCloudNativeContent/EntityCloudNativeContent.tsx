import { useCallback, useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { CLOUD_NATIVE_REPORT_ANNOTATION } from '@internal/backstage-plugin-cloud-native-common';
import { useCloudNativeReport } from '../../hooks/useCloudNativeReport';
import { isCloudNativeAvailable } from '../../lib/conditions';
import { createPackageFileResolver } from '../../lib/fileLinks';
import { CostSection } from '../CostSection';
import { DeploymentGuide } from '../DeploymentGuide';
import { PackageFiles } from '../PackageFiles';
import { Recommendations } from '../Recommendations';
import { ReportHistory } from '../ReportHistory';
import { RequestErrorPanel } from '../shared/RequestErrorPanel';
import { SkillTimeline } from '../SkillTimeline';
import { StrategyHeader } from '../StrategyHeader';
import { ValidationSection } from '../ValidationSection';

function CloudNativeReportView(props: { entity: Entity }) {
  const { entity } = props;
  const { value, loading, error, retry } = useCloudNativeReport(entity);
  // Bumped after a revalidation, which records a new version in the history
  const [historyKey, setHistoryKey] = useState(0);
  const onRevalidated = useCallback(() => setHistoryKey(key => key + 1), []);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <>
        <RequestErrorPanel error={error} action="load the deployment report" />
        <Box mt={2}>
          <Button variant="outlined" onClick={retry}>
            Try again
          </Button>
        </Box>
      </>
    );
  }
  if (!value) {
    return null;
  }

  const { report } = value;
  const resolveFile = createPackageFileResolver(
    entity,
    report.deployment_package.root,
  );

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <StrategyHeader
          report={report}
          location={value.location}
          fetchedAt={value.fetchedAt}
        />
      </Grid>
      <Grid item xs={12} lg={5}>
        <SkillTimeline report={report} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <ValidationSection
          entity={entity}
          report={report}
          onRevalidated={onRevalidated}
        />
      </Grid>
      <Grid item xs={12}>
        <CostSection costs={report.estimated_costs} />
      </Grid>
      <Grid item xs={12} md={6}>
        <Recommendations recommendations={report.recommendations} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DeploymentGuide report={report} resolveFile={resolveFile} />
      </Grid>
      <Grid item xs={12}>
        <PackageFiles report={report} resolveFile={resolveFile} />
      </Grid>
      <Grid item xs={12}>
        <ReportHistory
          entity={entity}
          currency={report.estimated_costs.currency}
          refreshKey={historyKey}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The entity's "Deployment" tab: the deployment report of the package
 * generated for it, read from its repository by the backend.
 *
 * @public
 */
export function EntityCloudNativeContent() {
  const { entity } = useEntity();
  if (!isCloudNativeAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={CLOUD_NATIVE_REPORT_ANNOTATION}
      />
    );
  }
  return <CloudNativeReportView entity={entity} />;
}
