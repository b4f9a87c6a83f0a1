/**
 * A small reader for the shell commands of `RUN` instructions: enough to find
 * commands (`apt-get install ...`, `cd`, `sudo`) and pipes, with quotes
 * respected. It is not a shell parser: command substitution, heredocs and
 * functions are read as plain words.
 */

export interface ShellCommand {
  /** Words of one simple command, quotes removed */
  words: string[];
  /** The command's output is piped into the next one */
  pipedIntoNext: boolean;
}

/** Splits a shell string into simple commands at `&&`, `||`, `;`, `|`, newlines. */
export function splitCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (pipedIntoNext: boolean) => {
    endWord();
    if (words.length > 0) commands.push({ words, pipedIntoNext });
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) {
        quote = undefined;
      } else if (ch === '\\' && quote === '"' && i + 1 < script.length) {
        word += script[++i];
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < script.length) {
      const next = script[++i];
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
    } else if (ch === '&' && script[i + 1] === '&') {
      endCommand(false);
      i++;
    } else if (ch === '|' && script[i + 1] === '|') {
      endCommand(false);
      i++;
    } else if (ch === '|') {
      endCommand(true);
    } else if (ch === ';' || ch === '\n') {
      endCommand(false);
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand(false);
  return commands;
}

/** Skips `env VAR=x`, `sudo`, `VAR=x` prefixes: the program a command runs. */
export function programOf(command: ShellCommand): {
  program: string;
  args: string[];
} {
  let i = 0;
  const words = command.words;
  while (
    i < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) ||
      words[i] === 'env' ||
      words[i] === 'sudo' ||
      words[i] === 'exec' ||
      words[i] === 'command')
  ) {
    i++;
  }
  return { program: words[i] ?? '', args: words.slice(i + 1) };
}

/** `apt-get install` / `apt install` commands with their arguments. */
export function aptInstalls(script: string): string[][] {
  const out: string[][] = [];
  for (const command of splitCommands(script)) {
    const { program, args } = programOf(command);
    if (program !== 'apt-get' && program !== 'apt') continue;
    const install = args.indexOf('install');
    if (install === -1) continue;
    // Options before the subcommand count too (apt-get -y install x).
    out.push([...args.slice(0, install), ...args.slice(install + 1)]);
  }
  return out;
}
