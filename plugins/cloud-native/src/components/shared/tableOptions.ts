import { TableOptions } from '@backstage/core-components';

/**
 * Options of the long tables (package files, findings): searchable and
 * dense, paged only once there are more rows than one page.
 */
export function pagedTableOptions(
  rows: number,
  pageSize: number,
): TableOptions {
  return {
    search: true,
    padding: 'dense',
    paging: rows > pageSize,
    pageSize,
    pageSizeOptions: [pageSize, 50, 100],
  };
}
