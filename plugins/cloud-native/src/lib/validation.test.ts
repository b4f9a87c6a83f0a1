import { loadExampleReport } from '../__testUtils__/fixtures';
import {
  areaStatus,
  countFindings,
  overallValidationStatus,
} from './validation';

describe('validation', () => {
  it('passes when no area fails', () => {
    const { validation_results: results } = loadExampleReport(
      'events-serverless-aws',
    );
    expect(overallValidationStatus(results)).toBe('pass');
    expect(overallValidationStatus({ ...results, serverless: 'fail' })).toBe(
      'fail',
    );
  });

  it('treats a missing serverless area as n/a', () => {
    const { validation_results: results } =
      loadExampleReport('marketplace-gke-t3');
    delete results.serverless;
    expect(areaStatus(results, 'serverless')).toBe('n/a');
    expect(areaStatus(results, 'helm_chart')).toBe('pass');
  });

  it('counts findings by severity', () => {
    const { findings } = loadExampleReport('marketplace-gke-t3');
    expect(countFindings(findings)).toEqual({ error: 0, warning: 4, info: 3 });
  });
});
