/**
 * Markdown and Mermaid helpers of the guide. Everything that comes from the
 * spec (titles, descriptions, rationales, questions) goes through one of
 * these before it reaches a document, so free text cannot break a table, a
 * code fence or a diagram.
 */

/** Escapes free text for Markdown prose (headings, list items, cells). */
export function text(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}

/**
 * An inline code span that holds any text: the fence is one backtick longer
 * than the longest backtick run inside (CommonMark), padded with spaces when
 * the content starts or ends with a backtick.
 */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(
    0,
    ...(flat.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A table cell: `|` is escaped everywhere, also inside code spans (GitHub
 * Flavored Markdown splits cells before it parses code spans, and renders
 * `\|` inside a code span as `|`).
 */
export function cell(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

/** A GitHub Flavored Markdown table; cells must already be Markdown. */
export function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

/** A `## heading` listing `items`, or saying `None.` when there are none. */
export function listSection(heading: string, items: string[]): string[] {
  return [`## ${heading}`, '', ...(items.length === 0 ? ['None.'] : items)];
}

/** A fenced code block; the fence is longer than any backtick run inside. */
export function block(language: string, lines: string[]): string[] {
  const body = lines.join('\n');
  const longest = Math.max(
    2,
    ...(body.match(/`{3,}/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/**
 * Text for a quoted Mermaid label (`id["..."]`). Mermaid decodes `#name;`
 * and `#<decimal>;` entity codes in labels, so every character that could
 * end the label, start a Markdown string (backtick), open HTML or an entity,
 * a comment (`%%`) or an escape is written as an entity code; newlines
 * become spaces. Brackets and parentheses are literal inside quotes.
 */
export function mermaidText(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/["`<>#&%\\]/g, ch => {
    switch (ch) {
      case '"':
        return '#quot;';
      case '<':
        return '#lt;';
      case '>':
        return '#gt;';
      case '&':
        return '#amp;';
      default:
        return `#${ch.codePointAt(0)};`;
    }
  });
}

/** A quoted Mermaid label made of already-escaped lines. */
export function mermaidLabel(lines: string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

/** `1 service` / `3 services`. */
export function plural(count: number, word: string, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}
