package provider

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func specOf(policy corev1.RestartPolicy, n int) *corev1.PodSpec {
	s := &corev1.PodSpec{RestartPolicy: policy}
	for i := 0; i < n; i++ {
		s.Containers = append(s.Containers, corev1.Container{Name: string(rune('a' + i))})
	}
	return s
}

var (
	running    = corev1.ContainerStatus{State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}
	pulling    = corev1.ContainerStatus{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull"}}}
	exited0    = corev1.ContainerStatus{State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}}
	exited1    = corev1.ContainerStatus{State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1}}}
	backingOff = corev1.ContainerStatus{
		State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1}},
	}
)

func TestPodPhase(t *testing.T) {
	cases := []struct {
		name     string
		spec     *corev1.PodSpec
		statuses []corev1.ContainerStatus
		want     corev1.PodPhase
		gone     bool
	}{
		{"no status yet", specOf("Always", 2), nil, corev1.PodPending, false},
		{"one pulling", specOf("Always", 2), []corev1.ContainerStatus{running, pulling}, corev1.PodPending, false},
		{"all running", specOf("Always", 2), []corev1.ContainerStatus{running, running}, corev1.PodRunning, false},
		{"crash looping", specOf("Always", 1), []corev1.ContainerStatus{backingOff}, corev1.PodRunning, false},
		{"one running, one restarting", specOf("Always", 2), []corev1.ContainerStatus{running, backingOff}, corev1.PodRunning, false},
		{"never, exited 0", specOf("Never", 1), []corev1.ContainerStatus{exited0}, corev1.PodSucceeded, false},
		{"never, one failed", specOf("Never", 2), []corev1.ContainerStatus{exited0, exited1}, corev1.PodFailed, false},
		{"onfailure restarting", specOf("OnFailure", 1), []corev1.ContainerStatus{backingOff}, corev1.PodRunning, false},
		{"always, exited, about to restart", specOf("Always", 1), []corev1.ContainerStatus{exited1}, corev1.PodRunning, false},
		{"onfailure, exited 0", specOf("OnFailure", 1), []corev1.ContainerStatus{exited0}, corev1.PodSucceeded, false},
		{"always, stopped by deletion", specOf("Always", 1), []corev1.ContainerStatus{exited0}, corev1.PodSucceeded, true},
		{"always, killed by deletion", specOf("Always", 2), []corev1.ContainerStatus{exited0, exited1}, corev1.PodFailed, true},
		{"deleted before it started", specOf("Always", 1), []corev1.ContainerStatus{pulling}, corev1.PodFailed, true},
	}
	for _, c := range cases {
		if got := podPhase(c.spec, c.statuses, c.gone); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func find(conds []corev1.PodCondition, t corev1.PodConditionType) corev1.PodCondition {
	for _, c := range conds {
		if c.Type == t {
			return c
		}
	}
	return corev1.PodCondition{}
}

func TestPodConditionsReadyOnlyWhenEveryContainerIs(t *testing.T) {
	now := metav1.NewTime(time.Unix(1000, 0))
	ready := running
	ready.Ready = true
	spec := specOf("Always", 2)

	conds := podConditions(spec, []corev1.ContainerStatus{ready, running}, corev1.PodRunning, true, nil, now)
	if c := find(conds, corev1.PodReady); c.Status != corev1.ConditionFalse || c.Reason != "ContainersNotReady" {
		t.Errorf("Ready with one unready container: %+v", c)
	}
	if c := find(conds, corev1.PodScheduled); c.Status != corev1.ConditionTrue {
		t.Errorf("PodScheduled: %+v", c)
	}

	later := metav1.NewTime(time.Unix(2000, 0))
	conds2 := podConditions(spec, []corev1.ContainerStatus{ready, ready}, corev1.PodRunning, true, conds, later)
	if c := find(conds2, corev1.PodReady); c.Status != corev1.ConditionTrue || !c.LastTransitionTime.Equal(&later) {
		t.Errorf("Ready after both: %+v", c)
	}
	if c := find(conds2, corev1.PodScheduled); !c.LastTransitionTime.Equal(&now) {
		t.Errorf("an unchanged condition kept its time: %+v", c)
	}

	terminal := podConditions(spec, []corev1.ContainerStatus{ready, ready}, corev1.PodSucceeded, false, conds2, later)
	if c := find(terminal, corev1.ContainersReady); c.Status != corev1.ConditionFalse || c.Reason != "PodCompleted" {
		t.Errorf("terminal pod: %+v", c)
	}
}
