import { cloudNativePlugin } from './plugin';
import alphaPlugin from './alpha';

describe('cloud-native frontend plugin', () => {
  it('exports the legacy plugin and the new-system plugin with one id', () => {
    expect(cloudNativePlugin.getId()).toBe('cloud-native');
    expect(alphaPlugin.id).toBe('cloud-native');
  });
});
