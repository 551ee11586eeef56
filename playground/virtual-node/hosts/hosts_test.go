package hosts

import (
	"strings"
	"testing"

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
