// Where a cluster's Knative ingress gateway is reached from this desktop, found the way Knative's docs tell users
// to find it (`kubectl get svc kourier -n kourier-system`, `… istio-ingressgateway -n istio-system`): Knative
// Serving's `config-network` names the ingress class, each networking layer serves traffic from a well-known gateway
// Service, and that Service's LoadBalancer status holds the address. The engine sends a cluster-local Service URL
// there with the Service's host in the Host header (service-target.ts). The local playground publishes its own
// gateway instead (its KIngress); for any other context this is the address, or null with the reason.
import type { CoreV1Api, V1ConfigMap, V1Service } from '@kubernetes/client-node';
import { isKubeNotFound } from '../errors';

/** The gateway Service of each upstream networking layer, by the ingress class Knative Serving is configured with. */
export const KNOWN_GATEWAYS: Readonly<Record<string, { namespace: string; name: string }>> = {
  'kourier.ingress.networking.knative.dev': { namespace: 'kourier-system', name: 'kourier' },
  'istio.ingress.networking.knative.dev': { namespace: 'istio-system', name: 'istio-ingressgateway' },
  'contour.ingress.networking.knative.dev': { namespace: 'contour-external', name: 'envoy' },
};

/** config-network's ingress class (`ingress-class`, or the older `ingress.class` key), or null when unset. */
export function ingressClassOf(configNetwork: Pick<V1ConfigMap, 'data'> | undefined): string | null {
  const data = configNetwork?.data ?? {};
  return data['ingress-class']?.trim() || data['ingress.class']?.trim() || null;
}

/** `http://<load balancer address>[:port]` of a gateway Service, or null while it has no external address. */
export function gatewayAddressOf(service: Pick<V1Service, 'spec' | 'status'>): string | null {
  const ingress = service.status?.loadBalancer?.ingress?.find((entry) => entry.ip || entry.hostname);
  const host = ingress?.ip ?? ingress?.hostname;
  if (!host) return null;
  const ports = service.spec?.ports ?? [];
  // Plain HTTP: the port named http2/http (Kourier's and Istio's names), else 80, else the first one.
  const port =
    ports.find((p) => p.name === 'http2' || p.name === 'http')?.port ??
    ports.find((p) => p.port === 80)?.port ??
    ports[0]?.port ??
    80;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return port === 80 ? `http://${bracketed}` : `http://${bracketed}:${port}`;
}

export interface DiscoveredGateway {
  address: string | null;
  /** What was found, or why there is no address (shown to the user as is). */
  reason: string;
}

/** Reads config-network and the class's gateway Service; never throws for a missing object. */
export async function discoverIngressGateway(core: CoreV1Api): Promise<DiscoveredGateway> {
  let configNetwork: V1ConfigMap;
  try {
    configNetwork = await core.readNamespacedConfigMap({
      namespace: 'knative-serving',
      name: 'config-network',
    });
  } catch (error) {
    if (isKubeNotFound(error)) return { address: null, reason: 'knative-serving/config-network not found' };
    throw error;
  }
  const ingressClass = ingressClassOf(configNetwork);
  if (!ingressClass) return { address: null, reason: 'config-network names no ingress class' };
  const known = KNOWN_GATEWAYS[ingressClass];
  if (!known) return { address: null, reason: `no known gateway Service for ingress class ${ingressClass}` };
  let service: V1Service;
  try {
    service = await core.readNamespacedService(known);
  } catch (error) {
    if (isKubeNotFound(error))
      return { address: null, reason: `gateway Service ${known.namespace}/${known.name} not found` };
    throw error;
  }
  const address = gatewayAddressOf(service);
  return address
    ? { address, reason: `${known.namespace}/${known.name} (${ingressClass})` }
    : { address: null, reason: `${known.namespace}/${known.name} has no load balancer address yet` };
}
