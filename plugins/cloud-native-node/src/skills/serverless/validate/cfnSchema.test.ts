import { checkStrict, checkStrictCoded, s } from '../../../core/strict';
import { cfn, eventSource, propertyRuleId } from './cfnSchema';

const memory = cfn.object(
  {
    MemorySize: cfn.optional(cfn.number({ integer: true })),
    Runtime: cfn.required(cfn.string({ oneOf: ['nodejs20.x', 'python3.12'] })),
  },
  { name: 'Function' },
);

const rules = (
  schema: Parameters<typeof checkStrictCoded>[0],
  value: unknown,
) =>
  checkStrictCoded(schema, value, ['Resources.Fn.Properties']).map(issue => [
    propertyRuleId(issue),
    issue.path,
    issue.message,
  ]);

describe('the CloudFormation vocabulary of the strict engine', () => {
  it('accepts intrinsic functions wherever a value is expected', () => {
    expect(
      rules(memory, {
        MemorySize: { Ref: 'Memory' },
        Runtime: { 'Fn::If': ['Py', 'python3.12', 'nodejs20.x'] },
      }),
    ).toEqual([]);
    // the Kubernetes vocabulary has no intrinsics
    expect(checkStrict(s.number(), { Ref: 'Memory' })).toHaveLength(1);
  });

  it('reads scalars as CloudFormation does', () => {
    expect(rules(memory, { MemorySize: '512', Runtime: 'nodejs20.x' })).toEqual(
      [],
    );
    expect(rules(cfn.string(), 12)).toEqual([]);
    expect(rules(cfn.boolean(), 'true')).toEqual([]);
    expect(checkStrict(s.number(), '512')).toHaveLength(1);
  });

  it('gives each kind of problem its rule id and a did-you-mean hint', () => {
    expect(
      rules(memory, { MemorySzie: 128, Runtime: 'nodejs9.x' }).concat(
        rules(memory, { MemorySize: 1.5 }),
        rules(memory, { MemorySize: [], Runtime: 'nodejs20.x' }),
      ),
    ).toEqual([
      [
        'aws/invalid-value',
        'Resources.Fn.Properties.Runtime',
        "'nodejs9.x' is not one of nodejs20.x, python3.12",
      ],
      [
        'aws/unknown-property',
        'Resources.Fn.Properties.MemorySzie',
        "unknown property 'MemorySzie' (did you mean 'MemorySize'?)",
      ],
      [
        'aws/property-type',
        'Resources.Fn.Properties.MemorySize',
        'expected an integer, found 1.5',
      ],
      [
        'aws/missing-required-property',
        'Resources.Fn.Properties.Runtime',
        "required property 'Runtime' is missing",
      ],
      [
        'aws/property-type',
        'Resources.Fn.Properties.MemorySize',
        'expected a number, found a list',
      ],
    ]);
  });

  it('reports a union through its closest alternative of the same kind', () => {
    const codeUri = cfn.union([
      cfn.string(),
      cfn.object(
        { Bucket: cfn.required(cfn.string()), Key: cfn.required(cfn.string()) },
        { name: 'S3Location' },
      ),
    ]);
    expect(rules(codeUri, { Bucket: 'b', Kye: 'k' })).toEqual([
      [
        'aws/missing-required-property',
        'Resources.Fn.Properties.Key',
        "required property 'Key' is missing",
      ],
      [
        'aws/unknown-property',
        'Resources.Fn.Properties.Kye',
        "unknown property 'Kye' (did you mean 'Key'?)",
      ],
    ]);
    expect(rules(codeUri, [])).toEqual([
      [
        'aws/property-type',
        'Resources.Fn.Properties',
        'expected a string or an object (S3Location), found a list',
      ],
    ]);
  });

  it('picks the Properties schema of an event source by its Type', () => {
    const events = cfn.record(
      eventSource('event source', {
        Schedule: cfn.object({ Schedule: cfn.required(cfn.string()) }),
      }),
    );
    expect(
      rules(events, {
        Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)' } },
        Broken: { Type: 'Schedul', Extra: 1 },
        Empty: { Type: 'Schedule' },
      }),
    ).toEqual([
      [
        'aws/unknown-property',
        'Resources.Fn.Properties.Broken.Extra',
        "unknown key 'Extra' (an event has Type and Properties)",
      ],
      [
        'aws/invalid-value',
        'Resources.Fn.Properties.Broken.Type',
        "unknown event source type 'Schedul' (did you mean 'Schedule'?)",
      ],
      [
        'aws/missing-required-property',
        'Resources.Fn.Properties.Empty.Properties.Schedule',
        "required property 'Schedule' is missing",
      ],
    ]);
  });

  it("reads a resource's Properties as property names, never as an intrinsic", () => {
    const properties = (alwaysCheck: boolean) =>
      cfn.object({ Runtime: cfn.optional(cfn.string()) }, { alwaysCheck });
    expect(rules(properties(true), { Ref: 'X' })).toEqual([
      [
        'aws/unknown-property',
        'Resources.Fn.Properties.Ref',
        "unknown property 'Ref'",
      ],
    ]);
    expect(rules(properties(false), { Ref: 'X' })).toEqual([]);
  });
});
