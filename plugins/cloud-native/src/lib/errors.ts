/**
 * A panel title that says what went wrong in the user's terms. The backend
 * answers with Backstage error bodies; `ResponseError` carries the status and
 * the server's message in `cause`, so the message shows without opening the
 * details (a 422 says which field of the report is wrong).
 *
 * @param action - what was attempted, e.g. `load the deployment report`
 */
export function describeRequestError(error: Error, action: string): string {
  const { statusCode, cause } = error as {
    statusCode?: unknown;
    cause?: { message?: unknown };
  };
  const serverMessage =
    typeof cause === 'object' && cause !== null && cause.message
      ? String(cause.message)
      : '';
  const detail = serverMessage || error.message;
  switch (statusCode) {
    case 401:
      return `Could not ${action}: sign in again (${detail})`;
    case 403:
      return `You are not allowed to ${action}: ${detail}`;
    case 404:
      return `Could not ${action}: not found (${detail})`;
    case 422:
      return `Could not ${action}: the deployment report is invalid: ${detail}`;
    case 502:
      return `Could not ${action}: the repository could not be read: ${detail}`;
    default:
      return `Could not ${action}: ${detail}`;
  }
}
