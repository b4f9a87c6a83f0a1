/**
 * Recognises literal credentials, so that they never reach a generated file.
 * Used on `env` values of the spec and, later, on every generated file.
 */

/** Names that announce a secret (`DB_PASSWORD`, `STRIPE_API_KEY`, ...). */
const SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY|AUTH_?KEY|CLIENT_?SECRET)/i;

/** Value shapes of well-known credentials. */
const SECRET_VALUE_PATTERNS: Array<{ what: string; pattern: RegExp }> = [
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Stripe key', pattern: /\b[sr]k_(live|test)_[A-Za-z0-9]{16,}/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  {
    what: 'a JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  },
  {
    what: 'a URL with a password',
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  },
];

/** Values that are clearly not secrets even under a secret-looking name. */
const PLACEHOLDER = /^(|true|false|enabled|disabled|none|[0-9]+|\$\{[^}]*\})$/i;

/**
 * Explains why a literal looks like a credential, or returns undefined.
 *
 * @public
 */
export function explainSecretLiteral(
  name: string,
  value: string,
): string | undefined {
  for (const { what, pattern } of SECRET_VALUE_PATTERNS) {
    if (pattern.test(value)) {
      return `the value looks like ${what}`;
    }
  }
  if (SECRET_NAME.test(name) && !PLACEHOLDER.test(value.trim())) {
    return `'${name}' names a secret and has a literal value`;
  }
  return undefined;
}

/**
 * Finds credential-shaped values in free text (a generated file).
 *
 * @public
 */
export function findSecretLiterals(text: string): string[] {
  const found: string[] = [];
  for (const { what, pattern } of SECRET_VALUE_PATTERNS) {
    if (pattern.test(text)) {
      found.push(what);
    }
  }
  return found;
}
