// Package podutil stands in for k8s.io/kubernetes/pkg/api/v1/pod, which status_manager.go
// imports as podutil; same signatures as upstream util.go.
package podutil

import v1 "wasmorch.dev/k3spatch/lifecyclelog/hookcheck/standin/v1"

// GetPodCondition returns the index and a pointer to the condition of the given type, or -1 and nil.
func GetPodCondition(status *v1.PodStatus, conditionType v1.PodConditionType) (int, *v1.PodCondition) {
	if status == nil {
		return -1, nil
	}
	for i := range status.Conditions {
		if status.Conditions[i].Type == conditionType {
			return i, &status.Conditions[i]
		}
	}
	return -1, nil
}

// IsPodReadyConditionTrue reports whether the PodReady condition is true.
func IsPodReadyConditionTrue(status v1.PodStatus) bool {
	_, condition := GetPodCondition(&status, v1.PodReady)
	return condition != nil && condition.Status == v1.ConditionTrue
}
