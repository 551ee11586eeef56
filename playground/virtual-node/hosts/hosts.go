// Package hosts renders the /etc/hosts each pod sees. It stands in for cluster DNS (CoreDNS) and, partly, for
// kube-proxy: with neither running, `<svc>.<ns>.svc.cluster.local` (and the short forms a pod's search path would
// complete: `<svc>.<ns>.svc`, `<svc>.<ns>`, and `<svc>` in the pod's own namespace) resolve to one ready endpoint
// address of the Service, read from its EndpointSlices. A connection then goes straight to that pod, so it reaches
// the Service only where the Service's port equals its targetPort (as Knative's autoscaler, webhook and activator
// services use for in-cluster traffic); a ClusterIP is never used because nothing routes it. An ExternalName Service
// is the CNAME cluster DNS makes of it, followed to the address of the Service it names (Knative's Route makes one
// per Knative Service, naming the private load balancer, so `<ksvc>.<ns>.svc.cluster.local` reaches the KIngress's
// internal gateway from a pod as it does on a cluster).
package hosts

import (
	"fmt"
	"net"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
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

// maxCNAMEHops bounds an ExternalName chain, as a resolver bounds CNAME chains (and a loop ends).
const maxCNAMEHops = 4

// FollowExternalNames adds, to the Services with a ready address, each ExternalName Service whose name leads (through
// at most maxCNAMEHops ExternalNames) to one of them, with that address. Names outside the cluster domain are left to
// the host's resolver.
func FollowExternalNames(services []*corev1.Service, ready []Service) []Service {
	byName := map[string]string{}
	for _, s := range ready {
		byName[s.Name+"."+s.Namespace+".svc."+ClusterDomain] = s.IP
	}
	cnames := map[string]string{}
	for _, svc := range services {
		if svc.Spec.Type == corev1.ServiceTypeExternalName && svc.Spec.ExternalName != "" {
			cnames[svc.Name+"."+svc.Namespace+".svc."+ClusterDomain] = canonical(svc.Spec.ExternalName)
		}
	}
	out := append([]Service{}, ready...)
	for _, svc := range services {
		name := svc.Name + "." + svc.Namespace + ".svc." + ClusterDomain
		target, ok := cnames[name]
		for hop := 0; ok && hop < maxCNAMEHops; hop++ {
			if ip, found := byName[target]; found {
				out = append(out, Service{Namespace: svc.Namespace, Name: svc.Name, IP: ip})
				break
			}
			target, ok = cnames[target]
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// canonical is a cluster name in its fully qualified form without the root dot (`a.b.svc` and `a.b` complete to
// `a.b.svc.cluster.local`, as a pod's search path would).
func canonical(name string) string {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	switch parts := strings.Split(name, "."); {
	case len(parts) == 2:
		return name + ".svc." + ClusterDomain
	case len(parts) == 3 && parts[2] == "svc":
		return name + "." + ClusterDomain
	}
	return name
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
