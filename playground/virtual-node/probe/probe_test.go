package probe

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestTimingOfAppliesKubeletDefaults(t *testing.T) {
	got := TimingOf(&corev1.Probe{})
	want := Timing{Period: 10 * time.Second, Timeout: time.Second, SuccessThreshold: 1, FailureThreshold: 3}
	if got != want {
		t.Errorf("got %+v", got)
	}
	got = TimingOf(&corev1.Probe{InitialDelaySeconds: 2, PeriodSeconds: 1, TimeoutSeconds: 3, SuccessThreshold: 2, FailureThreshold: 5})
	want = Timing{InitialDelay: 2 * time.Second, Period: time.Second, Timeout: 3 * time.Second, SuccessThreshold: 2, FailureThreshold: 5}
	if got != want {
		t.Errorf("got %+v", got)
	}
}

func TestResolvePortByNumberAndName(t *testing.T) {
	ports := []corev1.ContainerPort{{Name: "http", ContainerPort: 8012}}
	if p, err := ResolvePort(intstr.FromInt32(8080), ports); err != nil || p != 8080 {
		t.Errorf("number: %d %v", p, err)
	}
	if p, err := ResolvePort(intstr.FromString("http"), ports); err != nil || p != 8012 {
		t.Errorf("name: %d %v", p, err)
	}
	if _, err := ResolvePort(intstr.FromString("grpc"), ports); err == nil {
		t.Error("an unknown name must fail")
	}
	if _, err := ResolvePort(intstr.FromInt32(0), ports); err == nil {
		t.Error("port 0 must fail")
	}
}

func TestHTTPRequestCarriesProbeHeadersAndHost(t *testing.T) {
	action := &corev1.HTTPGetAction{
		Path: "healthz", Port: intstr.FromInt32(8012),
		HTTPHeaders: []corev1.HTTPHeader{{Name: "K-Network-Probe", Value: "queue"}, {Name: "Host", Value: "example.com"}},
	}
	req, err := HTTPRequest(context.Background(), action, Target{PodIP: "10.213.0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.String() != "http://10.213.0.5:8012/healthz" {
		t.Errorf("url %s", req.URL)
	}
	if req.Header.Get("K-Network-Probe") != "queue" || req.Host != "example.com" {
		t.Errorf("headers %v host %s", req.Header, req.Host)
	}
	if req.Header.Get("User-Agent") != "kube-probe/1.34" {
		t.Errorf("user agent %q", req.Header.Get("User-Agent"))
	}
}

func hostPort(t *testing.T, rawURL string) (string, int32) {
	t.Helper()
	u, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	host, port, _ := net.SplitHostPort(u.URL.Host)
	n, _ := strconv.Atoi(port)
	return host, int32(n)
}

func TestRunHTTPGetSucceedsBelow400AndSendsHeaders(t *testing.T) {
	status := http.StatusOK
	var sawHeader string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawHeader = r.Header.Get("K-Network-Probe")
		w.WriteHeader(status)
	}))
	defer srv.Close()
	host, port := hostPort(t, srv.URL)
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
		Path: "/", Port: intstr.FromInt32(port), HTTPHeaders: []corev1.HTTPHeader{{Name: "K-Network-Probe", Value: "queue"}},
	}}}
	if r, msg := Run(context.Background(), p, Target{PodIP: host}); r != Success {
		t.Errorf("200: %s", msg)
	}
	if sawHeader != "queue" {
		t.Errorf("header not sent: %q", sawHeader)
	}
	status = http.StatusServiceUnavailable
	if r, msg := Run(context.Background(), p, Target{PodIP: host}); r != Failure || msg == "" {
		t.Errorf("503 passed")
	}
}

func TestRunTCPSocket(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := int32(l.Addr().(*net.TCPAddr).Port)
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(port)}}}
	if r, msg := Run(context.Background(), p, Target{PodIP: "127.0.0.1"}); r != Success {
		t.Errorf("open port: %s", msg)
	}
	l.Close()
	if r, _ := Run(context.Background(), p, Target{PodIP: "127.0.0.1"}); r != Failure {
		t.Errorf("closed port passed")
	}
}

func TestRunExecUsesTheExitCode(t *testing.T) {
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"check"}}}}
	code := 0
	target := Target{Exec: func(context.Context, []string) (int, string, error) { return code, "out", nil }}
	if r, _ := Run(context.Background(), p, target); r != Success {
		t.Error("exit 0 failed")
	}
	code = 1
	if r, msg := Run(context.Background(), p, target); r != Failure || msg == "" {
		t.Error("exit 1 passed")
	}
}

func TestTrackerAppliesThresholds(t *testing.T) {
	tr := NewTracker(Timing{SuccessThreshold: 2, FailureThreshold: 3}, false)
	if passing, changed := tr.Observe(Success); passing || changed {
		t.Error("one success of two flipped readiness")
	}
	if passing, changed := tr.Observe(Success); !passing || !changed {
		t.Error("two successes did not flip")
	}
	tr.Observe(Failure)
	tr.Observe(Failure)
	if !tr.Passing() {
		t.Error("two failures of three flipped")
	}
	tr.Observe(Success) // resets the failure count
	tr.Observe(Failure)
	tr.Observe(Failure)
	if !tr.Passing() {
		t.Error("failures must be consecutive")
	}
	if passing, changed := tr.Observe(Failure); passing || !changed {
		t.Error("three consecutive failures did not flip")
	}
	if tr.Failures() != 3 {
		t.Errorf("failures %d", tr.Failures())
	}
}
