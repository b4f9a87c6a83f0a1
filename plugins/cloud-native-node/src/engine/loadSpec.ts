import { parseDocument } from 'yaml';
import {
  Architecture,
  parseArchitecture,
} from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError } from '../core/errors';

/**
 * Parses spec text (YAML or JSON) and normalizes it. Throws
 * SpecValidationError naming the field path (or the line, for YAML syntax
 * errors).
 *
 * @public
 */
export function parseSpecText(text: string, source = 'spec'): Architecture {
  const doc = parseDocument(text, { uniqueKeys: true, merge: false });
  if (doc.errors.length > 0) {
    throw new SpecValidationError(
      doc.errors.map(error => ({
        path: error.linePos
          ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}`
          : '(document)',
        message: error.message.split('\n')[0],
      })),
      source,
    );
  }
  // Aliases (*anchor) are refused: a spec is plain data, and anchors can be
  // used to blow up documents ("billion laughs").
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    throw new SpecValidationError(
      [{ path: '(document)', message: (error as Error).message }],
      source,
    );
  }
  return parseSpecObject(value, source);
}

/**
 * Normalizes an already parsed spec object.
 *
 * @public
 */
export function parseSpecObject(value: unknown, source = 'spec'): Architecture {
  const result = parseArchitecture(value);
  if (!result.ok) {
    throw new SpecValidationError(result.issues, source);
  }
  return result.architecture;
}
