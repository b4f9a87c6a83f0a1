import { Link, Table, TableColumn } from '@backstage/core-components';
import { CloudNativeReport } from '../../api/types';
import { PackageFileLocation } from '../../lib/fileLinks';
import { formatBytes } from '../../lib/format';
import { pagedTableOptions } from '../shared/tableOptions';

type FileRow = PackageFileLocation & {
  id: string;
  bytes: number;
  sha256: string;
  skill: string;
};

/**
 * The files of the deployment package, linked to the repository, with the
 * skill that wrote each one.
 */
export function PackageFiles(props: {
  report: CloudNativeReport;
  resolveFile: (file: string) => PackageFileLocation;
}) {
  const { report, resolveFile } = props;
  const writtenBy = new Map<string, string>();
  for (const skill of report.skills_invoked) {
    for (const file of skill.files) {
      writtenBy.set(file, skill.skill);
    }
  }
  const rows: FileRow[] = report.deployment_package.files.map(file => ({
    ...resolveFile(file.path),
    id: file.path,
    bytes: file.bytes,
    sha256: file.sha256,
    skill: writtenBy.get(file.path) ?? 'engine',
  }));
  const local = rows.length > 0 && rows.every(row => !row.href);

  const columns: TableColumn<FileRow>[] = [
    {
      title: 'File',
      field: 'file',
      render: row =>
        row.href ? (
          <Link to={row.href}>{row.file}</Link>
        ) : (
          <span title={row.path}>{local ? row.path : row.file}</span>
        ),
    },
    { title: 'Written by', field: 'skill' },
    {
      title: 'Size',
      field: 'bytes',
      type: 'numeric',
      render: row => formatBytes(row.bytes),
    },
    {
      title: 'SHA-256',
      field: 'sha256',
      render: row => <code title={row.sha256}>{row.sha256.slice(0, 12)}</code>,
    },
  ];

  return (
    <Table<FileRow>
      title={`Package files (${rows.length})`}
      subtitle={
        local
          ? 'Local location: paths on the backend host, no links'
          : undefined
      }
      options={pagedTableOptions(rows.length, 25)}
      filters={[{ column: 'Written by', type: 'multiple-select' }]}
      columns={columns}
      data={rows}
    />
  );
}
