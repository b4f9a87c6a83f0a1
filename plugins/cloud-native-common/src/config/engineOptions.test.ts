import { ConfigReader } from '@backstage/config';
import { engineOptionsFromConfig } from './engineOptions';

describe('engineOptionsFromConfig', () => {
  it('reads helm and the policy severity overrides', () => {
    const config = new ConfigReader({
      cloudNative: {
        registry: 'registry.example.com/team',
        helmPath: '/opt/helm',
        policy: {
          severityOverrides: {
            'run-as-non-root': 'off',
            'policy/pdb-present': 'error',
          },
        },
      },
    });
    expect(engineOptionsFromConfig(config)).toEqual({
      helmPath: '/opt/helm',
      severityOverrides: {
        'run-as-non-root': 'off',
        'policy/pdb-present': 'error',
      },
    });
  });

  it('gives no options without a cloudNative section', () => {
    expect(engineOptionsFromConfig(new ConfigReader({}))).toEqual({});
    expect(engineOptionsFromConfig()).toEqual({});
  });

  it('refuses a severity the engine does not know, naming the key', () => {
    const config = new ConfigReader({
      cloudNative: { policy: { severityOverrides: { 'pdb-present': 'low' } } },
    });
    expect(() => engineOptionsFromConfig(config)).toThrow(
      "cloudNative.policy.severityOverrides.pdb-present: 'low' is not one of error, warning, info, off",
    );
  });
});
