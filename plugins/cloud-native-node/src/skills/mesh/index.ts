/**
 * The kubernetes-servicemesh-configurator skill.
 *
 * Output layout, per environment of the plan (nothing when plan.mesh is
 * `none`):
 *
 * - `mesh/<env>/mesh.yaml`: namespace-wide objects (Istio: PeerAuthentication
 *   `default`, AuthorizationPolicy `allow-nothing`; Linkerd: the shared
 *   Network/MeshTLS authentications)
 * - `mesh/<env>/<service>.yaml`: the mesh objects of one service
 * - `mesh/<env>/kustomization.yaml`: a Kustomization listing them
 */
export {
  kubernetesServicemeshConfigurator,
  buildMeshEnvironment,
} from './generator';
export { meshDirectory } from '../../plan/names';
export type { MeshEnvironment } from './generator';
export {
  AB_HEADER_ROUTE,
  ALLOW_NOTHING_POLICY,
  ISTIO_API_VERSIONS,
  ISTIO_INGRESS_GATEWAY_PRINCIPAL,
  istioPrincipal,
} from './istio';
export {
  LINKERD_API_VERSIONS,
  isLinkerdObject,
  meshValidators,
  validateLinkerdObject,
} from './linkerdSchemas';
export type { LinkerdKind } from './linkerdSchemas';
