import {
  entityWithoutReport,
  entityWithReport,
} from '../__testUtils__/fixtures';
import { isCloudNativeAvailable } from './conditions';

describe('isCloudNativeAvailable', () => {
  it('needs the report annotation', () => {
    expect(isCloudNativeAvailable(entityWithReport())).toBe(true);
    expect(isCloudNativeAvailable(entityWithoutReport)).toBe(false);
    expect(
      isCloudNativeAvailable({
        ...entityWithoutReport,
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        },
      }),
    ).toBe(false);
  });
});
