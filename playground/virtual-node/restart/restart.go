// Package restart holds the kubelet's rules for restarting a container that exited: the pod's restartPolicy and
// the crash-loop back-off (kubelet: 10 s doubling up to 5 min, forgotten after a container ran 10 min).
package restart

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

const (
	InitialBackoff = 10 * time.Second
	MaxBackoff     = 5 * time.Minute
	// ResetAfter is how long a container must run for its back-off to start over (kubelet's backoff GC window).
	ResetAfter = 10 * time.Minute
)

// ShouldRestart says whether a container that exited with exitCode is started again under policy.
func ShouldRestart(policy corev1.RestartPolicy, exitCode int32) bool {
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return exitCode != 0
	default: // Always, and the API server's default when unset.
		return true
	}
}

// Backoff is the wait before the next start after `crashes` consecutive exits (1 for the first exit).
func Backoff(crashes int) time.Duration {
	if crashes <= 0 {
		return 0
	}
	d := InitialBackoff
	for i := 1; i < crashes; i++ {
		d *= 2
		if d >= MaxBackoff {
			return MaxBackoff
		}
	}
	return d
}

// Crashes is the consecutive-exit count after a container that ran for `ran` exits: a long run starts it over.
func Crashes(previous int, ran time.Duration) int {
	if ran >= ResetAfter {
		return 1
	}
	return previous + 1
}

// TerminatedReason is the reason a kubelet gives a container that exited: Completed for 0, Error otherwise,
// OOMKilled is not detectable here.
func TerminatedReason(exitCode int32) string {
	if exitCode == 0 {
		return "Completed"
	}
	return "Error"
}
