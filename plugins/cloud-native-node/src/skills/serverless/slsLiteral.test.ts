import fc from 'fast-check';
import { LITERAL_DOLLAR, slsLiteral } from './aws/slsLiteral';

/**
 * The Serverless Framework's own variable parser (osls, the devDependency the
 * osls tests run): for a string, the variables it would resolve, each with
 * its span and either a `value` (an escape: `\${` → `${`) or `sources`.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseVariables: (text: string) => Array<{
  start?: number;
  end?: number;
  value?: string;
  sources?: Array<{ type?: string; address?: { value?: unknown } }>;
}> | null = require('osls/lib/configuration/variables/parse');

/**
 * What the framework makes of a string: escapes replaced, the literal-dollar
 * variable resolved to `$`; any other variable would be resolved from the
 * deploying machine, which is what must never happen: it throws.
 */
function resolvedByFramework(text: string): string {
  const variables = parseVariables(text) ?? [];
  let out = '';
  let last = 0;
  for (const variable of variables) {
    const start = variable.start ?? 0;
    const end = variable.end ?? text.length;
    let value: string;
    if (variable.value !== undefined) {
      value = variable.value;
    } else if (
      variable.sources?.length === 1 &&
      variable.sources[0].type === 'self' &&
      variable.sources[0].address?.value === 'custom.literalDollar'
    ) {
      value = '$';
    } else {
      throw new Error(
        `${JSON.stringify(text)} has a variable at ${start}: ${text.slice(
          start,
          end,
        )}`,
      );
    }
    out += text.slice(last, start) + value;
    last = end;
  }
  return out + text.slice(last);
}

/** Every string of `alphabet` up to `maxLength` characters. */
function* strings(alphabet: string[], maxLength: number): Generator<string> {
  yield '';
  let level = [''];
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) {
      for (const char of alphabet) {
        next.push(prefix + char);
        yield prefix + char;
      }
    }
    level = next;
  }
}

describe('slsLiteral', () => {
  it('leaves text without ${ unchanged', () => {
    for (const text of ['info', 'https://x/y?z=1', '$5 \\ $', '{}', '$ {x}']) {
      expect(slsLiteral(text)).toBe(text);
    }
  });

  it('escapes variables, as the framework documents (\\${)', () => {
    expect(slsLiteral('hello ${env:HOME}')).toBe('hello \\${env:HOME}');
    expect(slsLiteral('${file(./x)} ${self:service}')).toBe(
      '\\${file(./x)} \\${self:service}',
    );
    // a backslash before ${ is doubled, then the escape added
    expect(slsLiteral('a\\${x:y}')).toBe('a\\\\\\${x:y}');
    // after a literal $, a backslash is swallowed by the parser
    expect(slsLiteral('$\\${x:y}')).toBe('$\\\\${x:y}');
    // $${: the first $ is written as a variable whose value is $
    expect(slsLiteral('$${env:HOME}')).toBe(`${LITERAL_DOLLAR}\\\${env:HOME}`);
  });

  it('the framework parser gives back every string up to 6 characters of $ { } \\ a :', () => {
    let checked = 0;
    const wrong: Array<{ text: string; resolved: string }> = [];
    for (const text of strings(['$', '{', '}', '\\', 'a', ':'], 6)) {
      let resolved: string;
      try {
        resolved = resolvedByFramework(slsLiteral(text));
      } catch (error) {
        resolved = String(error);
      }
      if (resolved !== text && wrong.length < 5) wrong.push({ text, resolved });
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(55987);
  });

  it('the framework parser gives back longer strings made of variable syntax', () => {
    const piece = fc.constantFrom(
      '$',
      '${',
      '$${',
      '\\',
      '\\\\',
      '{',
      '}',
      'env:HOME',
      'self:service',
      "file('./x')",
      'opt:stage, "dev"',
      '(',
      ')',
      ',',
      ' ',
      "'",
      '"',
      ':',
      'AWS::Region',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), pieces => {
        const text = pieces.join('');
        expect(resolvedByFramework(slsLiteral(text))).toBe(text);
      }),
      { numRuns: 3000, seed: 20240601 },
    );
  });
});
