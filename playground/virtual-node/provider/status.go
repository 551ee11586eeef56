package provider

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Pod status as the kubelet computes it (pkg/kubelet/status/generate.go and kubelet_pods.go getPhase), from the
// containers' statuses: the phase, and the PodReadyToStartContainers, Initialized, ContainersReady, Ready and
// PodScheduled conditions. Pure, so it is unit-tested.

// podPhase follows the kubelet's getPhase for pods without init containers. stoppedForGood is true once the pod's
// processes are gone for good (deleted, or the node stopping): only then does a pod under Always become terminal.
func podPhase(spec *corev1.PodSpec, statuses []corev1.ContainerStatus, stoppedForGood bool) corev1.PodPhase {
	var waiting, running, stopped, succeeded int
	for _, cs := range statuses {
		switch {
		case cs.State.Running != nil:
			running++
		case cs.State.Terminated != nil:
			stopped++
			if cs.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case cs.State.Waiting != nil && cs.LastTerminationState.Terminated != nil:
			stopped++ // waiting to restart after an exit: counts as a container that ran
			if cs.LastTerminationState.Terminated.ExitCode == 0 {
				succeeded++
			}
		default:
			waiting++
		}
	}
	if len(statuses) < len(spec.Containers) {
		waiting += len(spec.Containers) - len(statuses)
	}
	switch {
	case waiting > 0 && !stoppedForGood:
		return corev1.PodPending
	case running > 0:
		return corev1.PodRunning
	case stoppedForGood:
		if succeeded == len(spec.Containers) {
			return corev1.PodSucceeded
		}
		return corev1.PodFailed
	case stopped == 0:
		return corev1.PodPending
	}
	// Every container has exited at least once and none runs now.
	switch spec.RestartPolicy {
	case corev1.RestartPolicyNever:
		if succeeded == stopped {
			return corev1.PodSucceeded
		}
		return corev1.PodFailed
	case corev1.RestartPolicyOnFailure:
		if succeeded == stopped {
			return corev1.PodSucceeded
		}
		return corev1.PodRunning // failed ones are restarted
	default: // Always: they are all being restarted
		return corev1.PodRunning
	}
}

func condition(t corev1.PodConditionType, ok bool, reason string, since metav1.Time) corev1.PodCondition {
	c := corev1.PodCondition{Type: t, Status: corev1.ConditionFalse, LastTransitionTime: since}
	if ok {
		c.Status = corev1.ConditionTrue
	} else {
		c.Reason = reason
	}
	return c
}

// podConditions builds the kubelet's conditions. previous supplies last transition times, so a condition's time
// moves only when its status does.
func podConditions(spec *corev1.PodSpec, statuses []corev1.ContainerStatus, phase corev1.PodPhase, sandboxReady bool,
	previous []corev1.PodCondition, now metav1.Time) []corev1.PodCondition {
	allReady := len(statuses) == len(spec.Containers) && len(statuses) > 0
	for _, cs := range statuses {
		if !cs.Ready {
			allReady = false
		}
	}
	// The kubelet reports a terminal pod as not ready, whatever its containers last said.
	if phase == corev1.PodSucceeded || phase == corev1.PodFailed {
		allReady = false
	}
	reason := "ContainersNotReady"
	if phase == corev1.PodSucceeded {
		reason = "PodCompleted"
	}
	conds := []corev1.PodCondition{
		condition(corev1.PodReadyToStartContainers, sandboxReady, "", now),
		condition(corev1.PodInitialized, true, "", now),
		condition(corev1.ContainersReady, allReady, reason, now),
		condition(corev1.PodReady, allReady, reason, now),
		condition(corev1.PodScheduled, true, "", now),
	}
	for i := range conds {
		for _, p := range previous {
			if p.Type == conds[i].Type && p.Status == conds[i].Status {
				conds[i].LastTransitionTime = p.LastTransitionTime
			}
		}
	}
	return conds
}
