import { pruneEmpty } from './pruneEmpty';

describe('pruneEmpty', () => {
  it('drops empty strings, nulls and the objects they leave empty', () => {
    expect(
      pruneEmpty({
        metadata: { name: 'shop', description: '' },
        spec: {
          region: null,
          requirements: { sla: '', rps: null },
          services: [{ name: 'api', port: 8080, image: '' }, null, ''],
          tier: 'T2',
        },
      }),
    ).toEqual({
      metadata: { name: 'shop' },
      spec: { services: [{ name: 'api', port: 8080 }], tier: 'T2' },
    });
  });

  it('keeps empty arrays, zero and false', () => {
    expect(
      pruneEmpty({ environments: [], replicas: 0, public: false }),
    ).toEqual({ environments: [], replicas: 0, public: false });
  });

  it('turns an empty value into undefined', () => {
    expect(pruneEmpty('')).toBeUndefined();
    expect(pruneEmpty(null)).toBeUndefined();
    expect(pruneEmpty({ a: { b: '' } })).toEqual({});
  });
});
