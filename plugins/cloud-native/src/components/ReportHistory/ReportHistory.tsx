import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { ReportHistoryItem } from '@internal/backstage-plugin-cloud-native-common';
import { cloudNativeApiRef } from '../../api/types';
import { formatCost, formatDateTime, shortDigest } from '../../lib/format';
import { HistoryChart } from '../charts/HistoryChart';
import { RequestErrorPanel } from '../shared/RequestErrorPanel';
import { ValidationStatusLabel } from '../shared/StatusIcons';

export interface ReportHistoryProps {
  entity: Entity;
  currency?: string;
  /** Changing it loads the history again (after a revalidation) */
  refreshKey?: unknown;
}

/** The recorded versions of the report: validation status and cost over time. */
export function ReportHistory(props: ReportHistoryProps) {
  const { entity, currency = 'USD', refreshKey } = props;
  const api = useApi(cloudNativeApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getHistory(entityRef),
    [api, entityRef, refreshKey],
  );

  const columns: TableColumn<ReportHistoryItem>[] = [
    {
      title: 'Recorded',
      field: 'recordedAt',
      defaultSort: 'desc',
      render: row => formatDateTime(row.recordedAt),
    },
    {
      title: 'Validation',
      field: 'validationStatus',
      render: row => <ValidationStatusLabel status={row.validationStatus} />,
    },
    { title: 'Errors', field: 'errors', type: 'numeric' },
    { title: 'Warnings', field: 'warnings', type: 'numeric' },
    {
      title: 'Monthly cost',
      field: 'monthlyCost',
      type: 'numeric',
      render: row => formatCost(row.monthlyCost, currency),
    },
    {
      title: 'Spec',
      field: 'specDigest',
      render: row => (
        <code title={row.specDigest}>{shortDigest(row.specDigest)}</code>
      ),
    },
    {
      title: 'Report',
      field: 'reportDigest',
      render: row => (
        <code title={row.reportDigest}>{shortDigest(row.reportDigest)}</code>
      ),
    },
  ];

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <RequestErrorPanel error={error} action="load the report history" />;
  } else if (!value?.items.length) {
    body = (
      <Typography variant="body2">
        No history yet: a version is recorded each time the report is read or
        revalidated.
      </Typography>
    );
  } else {
    body = (
      <>
        <HistoryChart items={value.items} currency={currency} />
        <Box mt={2}>
          <Table<ReportHistoryItem>
            options={{
              search: false,
              toolbar: false,
              padding: 'dense',
              paging: value.items.length > 10,
              pageSize: 10,
            }}
            columns={columns}
            data={value.items}
          />
        </Box>
      </>
    );
  }

  return <InfoCard title="Report history">{body}</InfoCard>;
}
