package provider

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Pod status as the kubelet computes it (pkg/kubelet/status/generate.go and kubelet_pods.go getPhase), from the
// containers' statuses: the phase, and the PodReadyToStartContainers, Initialized, ContainersReady, Ready and
// PodScheduled conditions. Pure, so it is unit-tested.

// podPhase follows the kubelet's getPhase for pods without init containers.
func podPhase(spec *corev1.PodSpec, statuses []corev1.ContainerStatus) corev1.PodPhase {
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
		case cs.State.Waiting != nil:
			if cs.LastTerminationState.Terminated != nil {
				stopped++ // waiting to restart after an exit: counts as a container that ran
			} else {
				waiting++
			}
		default:
			waiting++
		}
	}
	if len(statuses) < len(spec.Containers) {
		waiting += len(spec.Containers) - len(statuses)
	}
	switch {
	case waiting > 0:
		return corev1.PodPending
	case running > 0:
		return corev1.PodRunning
	case stopped == len(spec.Containers) && stopped > 0:
		// All exited. Under Always they are restarting: Running. Otherwise terminal.
		if spec.RestartPolicy == corev1.RestartPolicyAlways || spec.RestartPolicy == "" {
			for _, cs := range statuses {
				if cs.State.Waiting != nil {
					return corev1.PodRunning
				}
			}
			// Stopped for good under Always happens only when the pod is being deleted.
			if succeeded == stopped {
				return corev1.PodSucceeded
			}
			return corev1.PodFailed
		}
		for _, cs := range statuses {
			if cs.State.Waiting != nil {
				return corev1.PodRunning // OnFailure restarting a failed container
			}
		}
		if succeeded == stopped {
			return corev1.PodSucceeded
		}
		return corev1.PodFailed
	default:
		return corev1.PodPending
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
