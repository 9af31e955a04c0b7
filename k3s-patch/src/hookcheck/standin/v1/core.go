// Package v1 stands in for k8s.io/api/core/v1 (v0.36.3, core/v1/types.go): only the
// declarations the hook lines touch, with the same names, field types and embedding.
package v1

import (
	"wasmorch.dev/k3spatch/lifecyclelog/hookcheck/standin/metav1"
	"wasmorch.dev/k3spatch/lifecyclelog/hookcheck/standin/types"
)

// Pod embeds ObjectMeta, as upstream does.
type Pod struct {
	metav1.ObjectMeta
	Spec   PodSpec
	Status PodStatus
}

// PodSpec holds NodeName string.
type PodSpec struct {
	NodeName string
}

// PodStatus holds the conditions.
type PodStatus struct {
	Conditions []PodCondition
}

// PodConditionType is a string type.
type PodConditionType string

// ConditionStatus is a string type.
type ConditionStatus string

// PodReady and ConditionTrue have their upstream values.
const (
	PodReady      PodConditionType = "Ready"
	ConditionTrue ConditionStatus  = "True"
)

// PodCondition carries its transition time as metav1.Time.
type PodCondition struct {
	Type               PodConditionType
	Status             ConditionStatus
	LastTransitionTime metav1.Time
}

// Container holds the container name.
type Container struct {
	Name string
}

// ObjectReference is the involved object of an Event.
type ObjectReference struct {
	Kind      string
	Namespace string
	Name      string
	UID       types.UID
}

// Event is the core/v1 Event the record package makes.
type Event struct {
	metav1.ObjectMeta
	FirstTimestamp      metav1.Time
	ReportingController string
}
