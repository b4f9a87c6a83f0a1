import { ResponseErrorPanel } from '@backstage/core-components';
import { describeRequestError } from '../../lib/errors';

/**
 * An error panel whose title carries the server's message, so a 422 (the
 * report does not match the schema) or a 403 reads clearly without opening
 * the details.
 */
export function RequestErrorPanel(props: { error: Error; action: string }) {
  return (
    <ResponseErrorPanel
      error={props.error}
      title={describeRequestError(props.error, props.action)}
    />
  );
}
