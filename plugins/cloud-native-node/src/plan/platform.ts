import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';

/**
 * What the package expects of the cluster it is installed on, by name:
 * the namespaces of the add-ons it talks to and the API versions of the
 * operators it writes objects for. The skills write objects that name
 * them; the guide installs the add-ons under the same names.
 */

/** Namespace of the ingress controller that sends public traffic, by plan.ingress. */
export const INGRESS_CONTROLLER_NAMESPACE: Partial<
  Record<DeploymentPlan['ingress'], string>
> = {
  nginx: 'ingress-nginx',
  'application-routing': 'app-routing-system',
};

/** Source ranges of Google Cloud load balancers and health checks. */
export const GOOGLE_LOAD_BALANCER_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];

/** Pod annotations that ask the mesh injector for a native sidecar proxy. */
export const MESH_NATIVE_SIDECAR_ANNOTATIONS: Record<
  'istio' | 'linkerd',
  Record<string, string>
> = {
  istio: { 'sidecar.istio.io/nativeSidecar': 'true' },
  linkerd: { 'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true' },
};

/**
 * ExternalSecret API version. `@kubernetes-models/external-secrets` ships
 * v1alpha1, v1beta1 and v1; v1 is the one current operators serve (v0.17+
 * stopped serving v1beta1).
 */
export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
