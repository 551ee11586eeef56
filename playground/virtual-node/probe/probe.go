// Package probe runs Kubernetes probes (httpGet with headers, tcpSocket, exec) the way the kubelet's prober does,
// and tracks their results against initialDelay/period/success/failure thresholds.
package probe

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Result of one probe run.
type Result int

const (
	Failure Result = iota
	Success
)

// Exec runs a command inside the container (its namespaces and env) and returns its exit code.
type Exec func(ctx context.Context, command []string) (exitCode int, output string, err error)

// Target is what a probe is run against: the pod's address, the container's named ports and an exec runner.
type Target struct {
	PodIP string
	Ports []corev1.ContainerPort
	Exec  Exec
}

// Timing is a probe's schedule with the API server's defaults applied to zero fields.
type Timing struct {
	InitialDelay     time.Duration
	Period           time.Duration
	Timeout          time.Duration
	SuccessThreshold int
	FailureThreshold int
}

// TimingOf applies the kubelet's defaults (period 10 s, timeout 1 s, thresholds 1 and 3).
func TimingOf(p *corev1.Probe) Timing {
	t := Timing{
		InitialDelay:     time.Duration(p.InitialDelaySeconds) * time.Second,
		Period:           time.Duration(p.PeriodSeconds) * time.Second,
		Timeout:          time.Duration(p.TimeoutSeconds) * time.Second,
		SuccessThreshold: int(p.SuccessThreshold),
		FailureThreshold: int(p.FailureThreshold),
	}
	if t.Period <= 0 {
		t.Period = 10 * time.Second
	}
	if t.Timeout <= 0 {
		t.Timeout = time.Second
	}
	if t.SuccessThreshold <= 0 {
		t.SuccessThreshold = 1
	}
	if t.FailureThreshold <= 0 {
		t.FailureThreshold = 3
	}
	return t
}

// ResolvePort turns a probe's port (number or container port name) into a number.
func ResolvePort(port intstr.IntOrString, ports []corev1.ContainerPort) (int, error) {
	if port.Type == intstr.Int {
		if port.IntVal <= 0 || port.IntVal > 65535 {
			return 0, fmt.Errorf("invalid port %d", port.IntVal)
		}
		return int(port.IntVal), nil
	}
	for _, p := range ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort), nil
		}
	}
	if n, err := strconv.Atoi(port.StrVal); err == nil && n > 0 && n <= 65535 {
		return n, nil
	}
	return 0, fmt.Errorf("no container port named %q", port.StrVal)
}

// HTTPRequest builds the request the kubelet sends for an httpGet probe or hook (Host header, User-Agent,
// Accept, and the probe's own headers, which override them).
func HTTPRequest(ctx context.Context, action *corev1.HTTPGetAction, target Target) (*http.Request, error) {
	port, err := ResolvePort(action.Port, target.Ports)
	if err != nil {
		return nil, err
	}
	host := action.Host
	if host == "" {
		host = target.PodIP
	}
	scheme := strings.ToLower(string(action.Scheme))
	if scheme == "" {
		scheme = "http"
	}
	path := action.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u, err := url.Parse(fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(port)), path))
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "kube-probe/1.34")
	req.Header.Set("Accept", "*/*")
	for _, h := range action.HTTPHeaders {
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	return req, nil
}

// httpClient never follows redirects to other hosts' ports blindly and skips TLS verification, as the kubelet does.
var httpClient = &http.Client{
	Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the kubelet does not verify probe certificates either
		DisableKeepAlives: true,
	},
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		return nil
	},
}

// IsHTTPSuccess is the kubelet's rule: 200 ≤ status < 400.
func IsHTTPSuccess(status int) bool { return status >= 200 && status < 400 }

// Run runs one probe against target with the probe's timeout and says whether it succeeded, and why not.
func Run(ctx context.Context, p *corev1.Probe, target Target) (Result, string) {
	ctx, cancel := context.WithTimeout(ctx, TimingOf(p).Timeout)
	defer cancel()
	switch {
	case p.HTTPGet != nil:
		req, err := HTTPRequest(ctx, p.HTTPGet, target)
		if err != nil {
			return Failure, err.Error()
		}
		res, err := httpClient.Do(req)
		if err != nil {
			return Failure, fmt.Sprintf("Get %q: %v", req.URL.String(), err)
		}
		_ = res.Body.Close()
		if IsHTTPSuccess(res.StatusCode) {
			return Success, ""
		}
		return Failure, fmt.Sprintf("HTTP probe failed with statuscode: %d", res.StatusCode)
	case p.TCPSocket != nil:
		port, err := ResolvePort(p.TCPSocket.Port, target.Ports)
		if err != nil {
			return Failure, err.Error()
		}
		host := p.TCPSocket.Host
		if host == "" {
			host = target.PodIP
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return Failure, fmt.Sprintf("dial tcp %s: %v", net.JoinHostPort(host, strconv.Itoa(port)), err)
		}
		_ = conn.Close()
		return Success, ""
	case p.Exec != nil:
		if target.Exec == nil {
			return Failure, "exec probes are not available"
		}
		code, out, err := target.Exec(ctx, p.Exec.Command)
		if err != nil {
			return Failure, err.Error()
		}
		if code != 0 {
			return Failure, fmt.Sprintf("command %q exited with %d: %s", p.Exec.Command, code, strings.TrimSpace(out))
		}
		return Success, ""
	case p.GRPC != nil:
		return Failure, "gRPC probes are not supported by the knative-desk virtual node"
	default:
		return Failure, "probe has no handler"
	}
}

// Tracker applies success/failure thresholds to a stream of results, as the kubelet's worker does: the state
// flips only after SuccessThreshold consecutive successes or FailureThreshold consecutive failures.
type Tracker struct {
	timing    Timing
	passing   bool
	successes int
	failures  int
}

// NewTracker starts in `initial` (readiness starts failing, liveness and startup start passing... except startup,
// which is not passing until it succeeds).
func NewTracker(timing Timing, initial bool) *Tracker {
	return &Tracker{timing: timing, passing: initial}
}

// Observe records one result and returns the (possibly new) state and whether it changed.
func (t *Tracker) Observe(r Result) (passing bool, changed bool) {
	if r == Success {
		t.failures = 0
		t.successes++
		if !t.passing && t.successes >= t.timing.SuccessThreshold {
			t.passing = true
			return true, true
		}
	} else {
		t.successes = 0
		t.failures++
		if t.passing && t.failures >= t.timing.FailureThreshold {
			t.passing = false
			return false, true
		}
	}
	return t.passing, false
}

// Failures is the number of consecutive failures so far.
func (t *Tracker) Failures() int { return t.failures }

// Passing is the current state.
func (t *Tracker) Passing() bool { return t.passing }
