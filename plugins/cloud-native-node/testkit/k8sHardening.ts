/**
 * What the tests expect of every container the engine writes, in the plain
 * manifests and in the chart alike (the restricted Pod Security Standard:
 * no privilege escalation, no capabilities, a read-only root file system,
 * a non-root user). One copy, so the manifest tests and the Helm render
 * tests cannot drift apart; the value is written out here, not imported
 * from the code under test, so a change to the code still fails them.
 */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};
