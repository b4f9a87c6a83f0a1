import { ReactNode } from 'react';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ValidationAreaStatus } from '@internal/backstage-plugin-cloud-native-common';

/** The core-components icon of each kind of status. */
const STATUS_ICONS = {
  ok: StatusOK,
  error: StatusError,
  warning: StatusWarning,
  pending: StatusPending,
};

/** A kind of status: which icon it shows. */
export type StatusKind = keyof typeof STATUS_ICONS;

/**
 * A status icon followed by its word. The core-components status elements
 * are `aria-hidden`, so the word sits beside them, not inside, to stay
 * readable by screen readers (and by tests).
 */
export function StatusText(props: { kind: StatusKind; children: ReactNode }) {
  const Icon = STATUS_ICONS[props.kind];
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <Icon />
      <span>{props.children}</span>
    </span>
  );
}

/** The icon of each validation status that has one (n/a has none). */
const VALIDATION_STATUS_KIND: Record<string, StatusKind | undefined> = {
  pass: 'ok',
  fail: 'error',
  skipped: 'pending',
};

/** pass / fail / skipped / n/a with its status icon. */
export function ValidationStatusLabel(props: {
  status: ValidationAreaStatus | 'skipped';
}) {
  const kind = VALIDATION_STATUS_KIND[props.status];
  if (!kind) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        n/a
      </Typography>
    );
  }
  return <StatusText kind={kind}>{props.status}</StatusText>;
}

/** The icon of each finding severity. */
const SEVERITY_KIND: Record<'error' | 'warning' | 'info', StatusKind> = {
  error: 'error',
  warning: 'warning',
  info: 'pending',
};

export function SeverityLabel(props: {
  severity: 'error' | 'warning' | 'info';
}) {
  return (
    <StatusText kind={SEVERITY_KIND[props.severity]}>
      {props.severity}
    </StatusText>
  );
}
