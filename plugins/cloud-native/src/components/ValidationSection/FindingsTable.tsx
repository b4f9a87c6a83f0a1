import { useMemo, useState } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { Finding } from '@internal/backstage-plugin-cloud-native-common';
import { PackageFileLocation } from '../../lib/fileLinks';
import { countFindings } from '../../lib/validation';
import { SeverityLabel } from '../shared/StatusIcons';
import { pagedTableOptions } from '../shared/tableOptions';

type Severity = Finding['severity'];
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_RANK: Record<Severity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

type FindingRow = Finding & { id: number; anchorsText: string };

export interface FindingsTableProps {
  findings: Finding[];
  /** Links a package file to the repository */
  resolveFile?: (file: string) => PackageFileLocation;
}

/**
 * The findings of the validation. Severity toggles above the table, the
 * table's own filters for rule and file, and its search across every column
 * (anchors included: search `kube-linter` or `hadolint:DL3008`).
 */
export function FindingsTable(props: FindingsTableProps) {
  const { findings, resolveFile } = props;
  const [severities, setSeverities] = useState<Severity[]>(SEVERITIES);
  const counts = countFindings(findings);

  const rows: FindingRow[] = useMemo(
    () =>
      findings
        .map((finding, id) => ({
          ...finding,
          id,
          anchorsText: finding.anchors.join(' '),
        }))
        .filter(row => severities.includes(row.severity))
        .sort(
          (a, b) =>
            SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
            a.file.localeCompare(b.file),
        ),
    [findings, severities],
  );

  const columns: TableColumn<FindingRow>[] = [
    {
      title: 'Severity',
      field: 'severity',
      width: '110px',
      render: row => <SeverityLabel severity={row.severity} />,
      customSort: (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
    },
    { title: 'Rule', field: 'ruleId' },
    {
      title: 'Anchors',
      field: 'anchorsText',
      render: row => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {row.anchors.map(anchor => (
            <Chip key={anchor} size="small" variant="outlined" label={anchor} />
          ))}
        </Box>
      ),
    },
    {
      title: 'File',
      field: 'file',
      render: row => {
        const location = resolveFile?.(row.file);
        return location?.href ? (
          <Link to={location.href}>{row.file}</Link>
        ) : (
          <span title={location?.path}>{row.file}</span>
        );
      },
    },
    { title: 'Object path', field: 'objectPath' },
    { title: 'Message', field: 'message', width: '40%' },
  ];

  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} my={1}>
        <Typography variant="body2">Severity</Typography>
        <ToggleButtonGroup
          size="small"
          value={severities}
          aria-label="Filter findings by severity"
          onChange={(_event, value: Severity[]) => setSeverities(value)}
        >
          {SEVERITIES.map(severity => (
            <ToggleButton
              key={severity}
              value={severity}
              aria-label={`${severity} (${counts[severity]})`}
            >
              {severity} ({counts[severity]})
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      <Table<FindingRow>
        title={`Findings (${rows.length} of ${findings.length})`}
        options={pagedTableOptions(rows.length, 20)}
        filters={[
          { column: 'Rule', type: 'multiple-select' },
          { column: 'File', type: 'multiple-select' },
        ]}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              {findings.length
                ? 'No finding matches the filters.'
                : 'No findings: every policy check passed.'}
            </Typography>
          </Box>
        }
      />
    </>
  );
}
