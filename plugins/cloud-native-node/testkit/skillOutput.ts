import { SkillOutput } from '../src/core/types';

/** The content of one file a skill wrote; throws, listing the files, when absent. */
export function fileOf(output: SkillOutput, path: string): string {
  const found = output.files.find(f => f.path === path);
  if (!found) {
    throw new Error(
      `no ${path}; files: ${output.files.map(f => f.path).join(', ')}`,
    );
  }
  return found.content;
}
