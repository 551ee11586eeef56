package provider

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"knative-desk/playground/virtual-node/probe"
)

// eventually polls cond for up to d.
func eventually(t *testing.T, d time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The readiness worker probes as the kubelet's does: not before a pod sync asks (PLEG seeing the start), once more at
// once after its first result, then only on its period or another sync; never for a container that is Ready.
func TestReadinessProbesOnPodSyncsNotOnlyOnItsPeriod(t *testing.T) {
	var probes atomic.Int32
	var listening atomic.Bool
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		probes.Add(1)
		if !listening.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer server.Close()
	_, portText, _ := net.SplitHostPort(server.Listener.Addr().String())
	port, _ := strconv.Atoi(portText)

	p := &Provider{dirty: map[string]bool{}, kick: make(chan struct{}, 1)}
	pr := &podRuntime{p: p, key: "ns/pod"}
	rp := &corev1.Probe{
		ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt(port)}},
		PeriodSeconds: 60,
	}
	c := &containerRuntime{
		pod: pr, spec: corev1.Container{Name: "queue-proxy", ReadinessProbe: rp},
		readinessTrigger: make(chan struct{}, 1),
	}
	pr.containers = []*containerRuntime{c}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.readiness(ctx, rp, probe.Target{PodIP: "127.0.0.1"})

	time.Sleep(300 * time.Millisecond)
	if n := probes.Load(); n != 0 {
		t.Fatalf("probed %d times before any pod sync (the process may not even listen yet)", n)
	}

	pr.syncReadiness() // PLEG saw the start
	eventually(t, 2*time.Second, func() bool { return probes.Load() == 2 }, "the first probe and its immediate rerun")
	time.Sleep(300 * time.Millisecond)
	if n := probes.Load(); n != 2 {
		t.Fatalf("probed %d times: a failing probe must wait for its period or the next pod sync", n)
	}
	if c.snapshot().Ready {
		t.Fatal("Ready after failed probes")
	}

	listening.Store(true)
	pr.syncReadiness() // e.g. another container of the pod started
	eventually(t, 2*time.Second, func() bool { return c.snapshot().Ready }, "Ready on the next pod sync, long before the 60 s period")

	before := probes.Load()
	pr.syncReadiness()
	time.Sleep(200 * time.Millisecond)
	if n := probes.Load(); n != before {
		t.Fatalf("a Ready container was probed again on a pod sync (%d → %d)", before, n)
	}
}

func TestUntilNextRelistIsWithinOnePeriod(t *testing.T) {
	for range 5 {
		if d := untilNextRelist(); d <= 0 || d > plegRelistPeriod {
			t.Fatalf("untilNextRelist() = %v, want (0, %v]", d, plegRelistPeriod)
		}
	}
}
