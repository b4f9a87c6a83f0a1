/*
 * Checks shared by the robustness tests: what every generated package must
 * satisfy whatever the spec was.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  Finding,
  findSecretLiterals,
} from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../src/core/types';
import { findIamWildcards } from '../src/validation/iam';

/** Go-template files (Helm chart templates) are not YAML until rendered. */
export function isTemplate(filePath: string): boolean {
  return /^helm\/[^/]+\/templates\//.test(filePath);
}

/** Parse errors of every YAML and JSON file of a package (as 1.2 and 1.1). */
export function unparsableFiles(files: ReadonlyArray<GeneratedFile>): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (isTemplate(file.path)) continue;
    if (/\.ya?ml$/.test(file.path)) {
      for (const version of ['1.2', '1.1'] as const) {
        for (const doc of parseAllDocuments(file.content, { version })) {
          if (doc.errors.length > 0) {
            problems.push(
              `${file.path} (YAML ${version}): ${doc.errors[0].message}`,
            );
          }
        }
      }
    } else if (file.path.endsWith('.json')) {
      try {
        JSON.parse(file.content);
      } catch (error) {
        problems.push(`${file.path}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** The documents of a YAML file, as YAML 1.1 (what kubectl and Helm read). */
export function yamlDocuments(content: string, version: '1.1' | '1.2' = '1.1') {
  return parseAllDocuments(content, { version }).map(doc =>
    doc.toJS({ maxAliasCount: 0 }),
  );
}

/** The IAM documents of a package: SAM/Serverless templates, IAM JSON. */
export function isIamFile(filePath: string): boolean {
  return (
    filePath === 'serverless/aws/template.yaml' ||
    filePath.endsWith('serverless.yml') ||
    /^cloud\/.*\/iam\/.*\.json$/.test(filePath)
  );
}

/** Error-severity IAM wildcard findings over every IAM document. */
export function iamWildcardErrors(
  files: ReadonlyArray<GeneratedFile>,
): Finding[] {
  const found: Finding[] = [];
  for (const file of files) {
    if (!isIamFile(file.path)) continue;
    const document = file.path.endsWith('.json')
      ? JSON.parse(file.content)
      : parse(file.content);
    for (const finding of findIamWildcards(document, file.path)) {
      if (finding.severity === 'error') found.push(finding as Finding);
    }
  }
  return found;
}

/** Files holding something shaped like a credential. */
export function filesWithSecrets(
  files: ReadonlyArray<GeneratedFile>,
): string[] {
  return files
    .filter(f => findSecretLiterals(f.content).length > 0)
    .map(f => `${f.path}: ${findSecretLiterals(f.content).join(', ')}`);
}

/** Every file under `root` (recursively, symlinks not followed), sorted. */
export async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(full);
    }
  }
  await walk(root);
  return out.sort();
}

/** True when `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== '..' &&
      !path.isAbsolute(relative))
  );
}

/** Findings the schema layer produced (`schema/*`). */
export function schemaFindings(findings: ReadonlyArray<Finding>): Finding[] {
  return findings.filter(f => f.ruleId.startsWith('schema/'));
}

/**
 * Schema findings of known engine bugs, tolerated by the properties: none
 * left (add a predicate here while a reproduced bug is open).
 */
export function isKnownSchemaBug(_finding: Finding): boolean {
  return false;
}
