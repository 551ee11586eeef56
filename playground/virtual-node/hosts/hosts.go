// Package hosts renders the /etc/hosts each pod sees. It stands in for cluster DNS (CoreDNS) and, partly, for
// kube-proxy: with neither running, `<svc>.<ns>.svc.cluster.local` (and the short forms a pod's search path would
// complete: `<svc>.<ns>.svc`, `<svc>.<ns>`, and `<svc>` in the pod's own namespace) resolve to one ready endpoint
// address of the Service, read from its EndpointSlices. A connection then goes straight to that pod, so it reaches
// the Service only where the Service's port equals its targetPort (as Knative's autoscaler, webhook and activator
// services use for in-cluster traffic); a ClusterIP is never used because nothing routes it.
package hosts

import (
	"fmt"
	"net"
	"sort"
	"strings"

	discoveryv1 "k8s.io/api/discovery/v1"
)

// ClusterDomain is the cluster's DNS suffix.
const ClusterDomain = "cluster.local"

// Service is a name and one ready endpoint address.
type Service struct {
	Namespace, Name, IP string
}

// ReadyEndpoints picks, per Service, the lowest ready IPv4 endpoint address of its EndpointSlices (stable, so the
// file changes only when that endpoint does).
func ReadyEndpoints(slices []*discoveryv1.EndpointSlice) []Service {
	best := map[string]Service{}
	for _, slice := range slices {
		name := slice.Labels[discoveryv1.LabelServiceName]
		if name == "" || slice.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		key := slice.Namespace + "/" + name
		for _, ep := range slice.Endpoints {
			if ep.Conditions.Ready != nil && !*ep.Conditions.Ready {
				continue
			}
			for _, addr := range ep.Addresses {
				if net.ParseIP(addr) == nil {
					continue
				}
				if cur, ok := best[key]; !ok || lessIP(addr, cur.IP) {
					best[key] = Service{Namespace: slice.Namespace, Name: name, IP: addr}
				}
			}
		}
	}
	out := make([]Service, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func lessIP(a, b string) bool {
	return strings.Compare(string(net.ParseIP(a).To16()), string(net.ParseIP(b).To16())) < 0
}

// Render is the hosts file of a pod named podName (hostname) with podIP in namespace podNamespace.
func Render(podName, podNamespace, podIP string, services []Service) string {
	var b strings.Builder
	b.WriteString("# Written by the knative-desk virtual node (stands in for cluster DNS).\n")
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	if podIP != "" {
		fmt.Fprintf(&b, "%s\t%s\n", podIP, podName)
	}
	for _, s := range services {
		names := []string{
			fmt.Sprintf("%s.%s.svc.%s", s.Name, s.Namespace, ClusterDomain),
			fmt.Sprintf("%s.%s.svc", s.Name, s.Namespace),
			fmt.Sprintf("%s.%s", s.Name, s.Namespace),
		}
		if s.Namespace == podNamespace {
			names = append(names, s.Name)
		}
		fmt.Fprintf(&b, "%s\t%s\n", s.IP, strings.Join(names, " "))
	}
	return b.String()
}
