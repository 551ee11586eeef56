package restart

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestShouldRestart(t *testing.T) {
	cases := []struct {
		policy corev1.RestartPolicy
		code   int32
		want   bool
	}{
		{corev1.RestartPolicyAlways, 0, true},
		{corev1.RestartPolicyAlways, 1, true},
		{"", 0, true},
		{corev1.RestartPolicyOnFailure, 0, false},
		{corev1.RestartPolicyOnFailure, 137, true},
		{corev1.RestartPolicyNever, 1, false},
		{corev1.RestartPolicyNever, 0, false},
	}
	for _, c := range cases {
		if got := ShouldRestart(c.policy, c.code); got != c.want {
			t.Errorf("ShouldRestart(%q, %d) = %v, want %v", c.policy, c.code, got, c.want)
		}
	}
}

func TestBackoffDoublesUpToFiveMinutes(t *testing.T) {
	want := []time.Duration{0, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 300 * time.Second, 300 * time.Second}
	for crashes, w := range want {
		if got := Backoff(crashes); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", crashes, got, w)
		}
	}
	if got := Backoff(100); got != MaxBackoff {
		t.Errorf("Backoff(100) = %v", got)
	}
}

func TestCrashesStartOverAfterALongRun(t *testing.T) {
	if got := Crashes(4, time.Second); got != 5 {
		t.Errorf("short run: %d", got)
	}
	if got := Crashes(4, 11*time.Minute); got != 1 {
		t.Errorf("long run: %d", got)
	}
}

func TestTerminatedReason(t *testing.T) {
	if TerminatedReason(0) != "Completed" || TerminatedReason(2) != "Error" {
		t.Error("reasons")
	}
}
