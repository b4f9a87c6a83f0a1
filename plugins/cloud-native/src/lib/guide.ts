import { DeploymentReport } from '@internal/backstage-plugin-cloud-native-common';

type Guide = DeploymentReport['deployment_guide'];

/** First words of the commands the engine writes into the guide. */
const COMMANDS = new Set([
  'argocd',
  'aws',
  'az',
  'curl',
  'docker',
  'func',
  'gcloud',
  'helm',
  'istioctl',
  'kn',
  'kubectl',
  'linkerd',
  'sam',
  'serverless',
  'trivy',
]);

export function isShellCommand(line: string): boolean {
  return COMMANDS.has(line.trim().split(/\s+/)[0] ?? '');
}

/**
 * Backticks in the text would end a single-backtick code span early: use a
 * double fence, padded with spaces (CommonMark strips one on each side).
 */
function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function commandOrText(line: string): string {
  return isShellCommand(line) ? inlineCode(line) : line;
}

function numbered(lines: string[]): string {
  return lines.map((line, i) => `${i + 1}. ${commandOrText(line)}`).join('\n');
}

/**
 * The guide lists as Markdown: prerequisites as a list (they name tools, so
 * they stay prose), then steps, validation and rollback as numbered lists
 * with the commands as code. Inline code rather than fenced blocks: the
 * fenced blocks of MarkdownContent go through a lazily loaded highlighter,
 * which a one-line command does not need.
 */
export function guideToMarkdown(guide: Guide): string {
  const sections: Array<[string, string[], (lines: string[]) => string]> = [
    [
      'Prerequisites',
      guide.prerequisites,
      lines => lines.map(p => `- ${p}`).join('\n'),
    ],
    ['Steps', guide.steps, numbered],
    ['Validation', guide.validation, numbered],
    ['Rollback', guide.rollback, numbered],
  ];
  return sections
    .filter(([, lines]) => lines.length > 0)
    .map(([title, lines, render]) => `### ${title}\n${render(lines)}`)
    .join('\n\n');
}

export function isGuideEmpty(guide: Guide): boolean {
  return (
    !guide.prerequisites.length &&
    !guide.steps.length &&
    !guide.validation.length &&
    !guide.rollback.length
  );
}
