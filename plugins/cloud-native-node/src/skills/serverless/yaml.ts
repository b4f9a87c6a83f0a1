import { Document } from 'yaml';

/**
 * YAML for tools that read YAML 1.1 (SAM CLI, the Serverless Framework,
 * gcloud): strings such as `2010-09-09`, `yes` or `on` are quoted so that
 * no parser reads them as dates or booleans. Built with the `yaml` library
 * from plain data, never by concatenating text.
 */
export function toCompatYaml(value: unknown): string {
  return new Document(value, {
    aliasDuplicateObjects: false,
    version: '1.1',
  }).toString({ lineWidth: 0 });
}

/** Several documents separated by `---`. */
export function toCompatYamlDocuments(values: ReadonlyArray<unknown>): string {
  return values.map(toCompatYaml).join('---\n');
}
