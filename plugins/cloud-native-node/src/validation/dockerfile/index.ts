export { dockerfileRules, lintDockerfile } from './lintDockerfile';
export type {
  DockerfileContext,
  DockerfileRule,
  DockerfileSeverity,
  DockerfileViolation,
  LintDockerfileOptions,
} from './lintDockerfile';
