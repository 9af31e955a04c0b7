// Package eventsv1 stands in for k8s.io/api/events/v1 (v0.36.3), imported as eventsv1 by
// client-go's tools/events.
package eventsv1

import "wasmorch.dev/k3spatch/lifecyclelog/hookcheck/standin/metav1"

// Event embeds ObjectMeta, as upstream does.
type Event struct {
	metav1.ObjectMeta
}
