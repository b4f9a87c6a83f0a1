/**
 * Text from the spec written into serverless.yml must reach the function as
 * written: the Serverless Framework (v3, and its open-source fork osls)
 * resolves `${...}` variables in every string of the file, so an env value
 * such as `hello ${env:HOME}` or `${file(~/.aws/credentials)}` would be
 * replaced by the deploying machine's data.
 *
 * The framework's variable parser (`lib/configuration/variables/parse.js`)
 * has an escape: `\${` stands for a literal `${`, and before it backslashes
 * come in pairs (`\\\${` is `\${`). Two quirks of its state machine matter:
 * - a `$` it reads as a possible variable start swallows the backslash after
 *   it (which stays literal text but no longer starts an escape);
 * - a run of `$` before `{` (`$${x}`) is one variable starting at the first
 *   `$`: the dollars before the last cannot be escaped, so each is written
 *   as `${self:custom.literalDollar}`, a variable whose value is `$` (the
 *   file then needs `custom.literalDollar: $`, see `LITERAL_DOLLAR_CUSTOM`).
 *
 * `slsLiteral` applies both; the result resolves to the input exactly, which
 * the tests check against the framework's own parser (exhaustively over
 * short strings) and through `osls print`.
 */

/** The variable that stands for one literal `$`. */
export const LITERAL_DOLLAR = '${self:custom.literalDollar}';

/** The `custom` entry `LITERAL_DOLLAR` reads. */
export const LITERAL_DOLLAR_CUSTOM = { literalDollar: '$' } as const;

/** A run of backslashes, then a run of dollars, then `{`. */
const VARIABLE_START = /(\\*)(\$+)\{/g;

/**
 * Where the framework's parser stands after literal text (text without
 * `${`): `dollar` after a `$` it read as a possible variable start (it then
 * swallows a following backslash), `escape` after an odd backslash,
 * `escapeDollar` after `\$`.
 */
type ParserState = 'out' | 'escape' | 'escapeDollar' | 'dollar';

function advance(state: ParserState, char: string): ParserState {
  switch (state) {
    case 'escape':
      // `\\` pairs up; `\$` may start an escape
      return char === '$' ? 'escapeDollar' : 'out';
    case 'dollar':
      // `$$` keeps waiting for `{`; any other character is swallowed
      return char === '$' ? 'dollar' : 'out';
    default:
      // out and escapeDollar read `\` and `$` afresh
      if (char === '\\') return 'escape';
      return char === '$' ? 'dollar' : 'out';
  }
}

/**
 * Encodes text so that the Serverless Framework's variable resolution gives
 * it back unchanged. Text without `${` is returned as is.
 */
export function slsLiteral(text: string): string {
  if (!/\$\{/.test(text)) return text;
  let out = '';
  let last = 0;
  let state: ParserState = 'out';
  for (const match of text.matchAll(VARIABLE_START)) {
    const [whole, slashes, dollars] = match;
    const start = match.index ?? 0;
    for (const char of text.slice(last, start)) state = advance(state, char);
    const k = slashes.length;
    // after a `$` the parser swallows the first backslash (kept as text)
    const swallowed = k > 0 && state === 'dollar';
    let encoded: string;
    if (dollars.length === 1) {
      // 2k+1 backslashes: k literal ones, then the escaped `${`
      encoded = `${'\\'.repeat(swallowed ? 2 * k : 2 * k + 1)}\${`;
    } else {
      // 2k backslashes: k literal ones before a real variable
      encoded = `${'\\'.repeat(
        swallowed ? 2 * k - 1 : 2 * k,
      )}${LITERAL_DOLLAR.repeat(dollars.length - 1)}\\\${`;
    }
    out += text.slice(last, start) + encoded;
    last = start + whole.length;
    // the escaped `{` leaves the parser outside any variable
    state = 'out';
  }
  return out + text.slice(last);
}
