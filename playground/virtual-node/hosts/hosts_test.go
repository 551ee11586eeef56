package hosts

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func slice(ns, svc string, eps ...discoveryv1.Endpoint) *discoveryv1.EndpointSlice {
	return &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Namespace: ns, Name: svc + "-x", Labels: map[string]string{discoveryv1.LabelServiceName: svc}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   eps,
	}
}

func ep(ready bool, ips ...string) discoveryv1.Endpoint {
	return discoveryv1.Endpoint{Addresses: ips, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}
}

func TestReadyEndpointsPicksTheLowestReadyAddress(t *testing.T) {
	got := ReadyEndpoints([]*discoveryv1.EndpointSlice{
		slice("knative-serving", "autoscaler", ep(false, "10.213.0.2"), ep(true, "10.213.0.9"), ep(true, "10.213.0.10")),
		slice("knative-serving", "nothing-ready", ep(false, "10.213.0.3")),
		slice("demo", "web", ep(true, "10.213.0.5")),
	})
	want := []Service{{"demo", "web", "10.213.0.5"}, {"knative-serving", "autoscaler", "10.213.0.9"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got[i], want[i])
		}
	}
}

func TestRenderGivesFullAndSearchPathNames(t *testing.T) {
	out := Render("p", "demo", "10.213.0.7", []Service{{"demo", "web", "10.213.0.5"}, {"other", "api", "10.213.0.6"}})
	for _, line := range []string{
		"10.213.0.7\tp\n",
		"10.213.0.5\tweb.demo.svc.cluster.local web.demo.svc web.demo web\n",
		"10.213.0.6\tapi.other.svc.cluster.local api.other.svc api.other\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("missing %q in\n%s", line, out)
		}
	}
}

func externalName(ns, name, target string) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: target},
	}
}

func TestFollowExternalNamesReachesTheNamedServicesAddress(t *testing.T) {
	ready := []Service{{"knative-serving", "kdesk-gateway-internal", "10.216.1.2"}}
	got := FollowExternalNames([]*corev1.Service{
		// As Knative's Route writes it for a Knative Service.
		externalName("demo", "processing", "kdesk-gateway-internal.knative-serving.svc.cluster.local"),
		// Short forms complete as a pod's search path would; a chain is followed.
		externalName("demo", "short", "kdesk-gateway-internal.knative-serving"),
		externalName("demo", "chained", "processing.demo.svc.cluster.local."),
		// Outside the cluster, a name nothing serves, and a loop: left out.
		externalName("demo", "outside", "example.com"),
		externalName("demo", "nowhere", "missing.demo.svc.cluster.local"),
		externalName("demo", "loop-a", "loop-b.demo.svc.cluster.local"),
		externalName("demo", "loop-b", "loop-a.demo.svc.cluster.local"),
		{ObjectMeta: metav1.ObjectMeta{Namespace: "demo", Name: "plain"}},
	}, ready)
	want := []Service{
		{"demo", "chained", "10.216.1.2"},
		{"demo", "processing", "10.216.1.2"},
		{"demo", "short", "10.216.1.2"},
		{"knative-serving", "kdesk-gateway-internal", "10.216.1.2"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
