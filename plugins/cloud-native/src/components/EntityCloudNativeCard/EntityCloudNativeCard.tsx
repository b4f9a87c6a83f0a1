import { Entity } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { CLOUD_NATIVE_REPORT_ANNOTATION } from '@internal/backstage-plugin-cloud-native-common';
import { useCloudNativeReport } from '../../hooks/useCloudNativeReport';
import { isCloudNativeAvailable } from '../../lib/conditions';
import { formatCost } from '../../lib/format';
import { countFindings, overallValidationStatus } from '../../lib/validation';
import { RequestErrorPanel } from '../shared/RequestErrorPanel';
import { ValidationStatusLabel } from '../shared/StatusIcons';

/** @public */
export interface EntityCloudNativeCardProps {
  /** Path of the deployment tab under the entity page (default `cloud-native`) */
  tabPath?: string;
}

function CloudNativeSummary(props: { entity: Entity; tabPath: string }) {
  const { entity, tabPath } = props;
  const { value, loading, error } = useCloudNativeReport(entity);
  const entityRoute = useRouteRef(entityRouteRef);
  const tabLink = `${entityRoute(entityRouteParams(entity))}/${tabPath.replace(
    /^\/+/,
    '',
  )}`;

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <RequestErrorPanel error={error} action="load the deployment report" />
    );
  } else if (value) {
    const { report } = value;
    const strategy = report.deployment_strategy;
    const costs = report.estimated_costs;
    const counts = countFindings(report.findings);
    const hasRange =
      costs.low !== undefined &&
      costs.low !== null &&
      costs.high !== undefined &&
      costs.high !== null;
    body = (
      <>
        <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
          <Chip color="primary" size="small" label={`Tier ${strategy.tier}`} />
          <Typography variant="body2">
            {strategy.platform} on {strategy.cloud} ({strategy.region}),{' '}
            {strategy.packaging}
          </Typography>
        </Box>
        <Typography variant="body1" component="div">
          Validation:{' '}
          <ValidationStatusLabel
            status={overallValidationStatus(report.validation_results)}
          />{' '}
          <Typography variant="body2" component="span" color="textSecondary">
            ({counts.error} errors, {counts.warning} warnings)
          </Typography>
        </Typography>
        <Typography variant="body1" component="div">
          Monthly cost:{' '}
          <strong>{formatCost(costs.monthly, costs.currency)}</strong>
          {hasRange && (
            <Typography variant="body2" component="span" color="textSecondary">
              {' '}
              (range {formatCost(costs.low, costs.currency)} –{' '}
              {formatCost(costs.high, costs.currency)})
            </Typography>
          )}
        </Typography>
      </>
    );
  }

  return (
    <InfoCard
      title="Deployment"
      deepLink={{ title: 'View the deployment report', link: tabLink }}
    >
      {body}
    </InfoCard>
  );
}

/**
 * Overview card: tier, validation status and monthly cost of the entity's
 * deployment package, with a link to the deployment tab.
 *
 * @public
 */
export function EntityCloudNativeCard(props: EntityCloudNativeCardProps) {
  const { entity } = useEntity();
  if (!isCloudNativeAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={CLOUD_NATIVE_REPORT_ANNOTATION}
      />
    );
  }
  return (
    <CloudNativeSummary
      entity={entity}
      tabPath={props.tabPath ?? 'cloud-native'}
    />
  );
}
