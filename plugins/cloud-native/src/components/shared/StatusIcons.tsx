import { ReactNode } from 'react';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ValidationAreaStatus } from '@internal/backstage-plugin-cloud-native-common';

/**
 * A status icon followed by its word. The core-components status elements
 * are `aria-hidden`, so the word sits beside them, not inside, to stay
 * readable by screen readers (and by tests).
 */
export function StatusText(props: { icon: ReactNode; children: ReactNode }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      {props.icon}
      <span>{props.children}</span>
    </span>
  );
}

/** pass / fail / skipped / n/a with its status icon. */
export function ValidationStatusLabel(props: {
  status: ValidationAreaStatus | 'skipped';
}) {
  switch (props.status) {
    case 'pass':
      return <StatusText icon={<StatusOK />}>pass</StatusText>;
    case 'fail':
      return <StatusText icon={<StatusError />}>fail</StatusText>;
    case 'skipped':
      return <StatusText icon={<StatusPending />}>skipped</StatusText>;
    default:
      return (
        <Typography variant="body2" color="textSecondary" component="span">
          n/a
        </Typography>
      );
  }
}

export function SeverityLabel(props: {
  severity: 'error' | 'warning' | 'info';
}) {
  switch (props.severity) {
    case 'error':
      return <StatusText icon={<StatusError />}>error</StatusText>;
    case 'warning':
      return <StatusText icon={<StatusWarning />}>warning</StatusText>;
    default:
      return <StatusText icon={<StatusPending />}>info</StatusText>;
  }
}
