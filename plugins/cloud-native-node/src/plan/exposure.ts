import type { IIngressSpec } from 'kubernetes-models/networking.k8s.io/v1/IngressSpec';
import type { IServiceBackendPort } from 'kubernetes-models/networking.k8s.io/v1/ServiceBackendPort';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { appProtocol, portName } from './workload';

/*
 * How a service is reached, in the one shape both the manifests and the Helm
 * chart render: the port of its Services and its public Ingress.
 */

/**
 * The one port of a service's Services: `<protocol>`, to the container port.
 * The manifest skill builds its Services with it; the Helm values check the
 * manifests against it, as the chart's templates render it.
 */
export function servicePortSpec(servicePlan: ServicePlan, port: number) {
  const name = portName(servicePlan);
  const app = appProtocol(servicePlan);
  const spec: IServicePort = {
    name,
    port,
    targetPort: name,
    protocol: 'TCP',
    ...(app ? { appProtocol: app } : {}),
  };
  return spec;
}

/** What a public service's Ingress spec is made of. */
export interface PublicIngress {
  /** The controller's class; no field when there is none */
  ingressClassName?: string;
  host: string;
  /** The Secret holding the host's TLS certificate */
  tlsSecretName: string | undefined;
  serviceName: string;
  port: IServiceBackendPort;
}

/**
 * The one shape of a public service's Ingress spec: its host with TLS, every
 * path (`/`, Prefix) to one port of the service. The manifest skill builds its
 * Ingress with it, and the Helm values check that the chart's template (which
 * renders this shape from the values) gives back the manifest's spec.
 */
export function publicIngressSpec(ingress: PublicIngress): IIngressSpec {
  const { ingressClassName, host, tlsSecretName, serviceName, port } = ingress;
  return {
    ...(ingressClassName ? { ingressClassName } : {}),
    tls: [{ hosts: [host], secretName: tlsSecretName }],
    rules: [
      {
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: serviceName, port } },
            },
          ],
        },
      },
    ],
  };
}
