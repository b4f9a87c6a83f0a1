import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';

/** The header row of a small table: one plain cell per column name. */
export function ColumnHeads(props: { columns: string[] }) {
  return (
    <TableHead>
      <TableRow>
        {props.columns.map(column => (
          <TableCell key={column}>{column}</TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}
