import { NotAllowedError } from '@backstage/errors';
import { responseError } from '../__testUtils__/render';
import { describeRequestError } from './errors';

describe('describeRequestError', () => {
  it.each([
    [
      401,
      'Unauthorized',
      'Could not load the report: sign in again (token expired)',
    ],
    [403, 'Forbidden', 'You are not allowed to load the report: token expired'],
    [404, 'Not Found', 'Could not load the report: not found (token expired)'],
    [
      422,
      'Unprocessable Entity',
      'Could not load the report: the deployment report is invalid: token expired',
    ],
    [
      502,
      'Bad Gateway',
      'Could not load the report: the repository could not be read: token expired',
    ],
    [500, 'Internal Server Error', 'Could not load the report: token expired'],
  ])('names what went wrong for %i', async (status, statusText, title) => {
    const error = await responseError(status, 'token expired', {
      statusText,
      name: 'Error',
    });
    expect(describeRequestError(error, 'load the report')).toBe(title);
  });

  it('uses the message of errors that are not responses', () => {
    expect(
      describeRequestError(new NotAllowedError('offline'), 'load the report'),
    ).toBe('Could not load the report: offline');
  });
});
