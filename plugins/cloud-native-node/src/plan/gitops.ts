/**
 * Where the GitOps controllers live: the namespaces of the Argo CD
 * Applications and of the Flux objects. Plan-level values, read by the
 * GitOps skill that writes the objects and by the guide that tells how to
 * inspect them.
 */

/** @public */
export const ARGOCD_NAMESPACE = 'argocd';
/** @public */
export const FLUX_NAMESPACE = 'flux-system';
