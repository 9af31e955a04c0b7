// Package metav1 stands in for k8s.io/apimachinery/pkg/apis/meta/v1 (v0.36.3): only the
// declarations the hook lines touch, with the same names and types.
package metav1

import (
	"time"

	"wasmorch.dev/k3spatch/lifecyclelog/hookcheck/standin/types"
)

// Time embeds time.Time, as in meta/v1 time.go.
type Time struct {
	time.Time
}

// MicroTime embeds time.Time, as in meta/v1 micro_time.go.
type MicroTime struct {
	time.Time
}

// ObjectMeta holds the fields of meta/v1 types.go that the hooks read.
type ObjectMeta struct {
	Name      string
	Namespace string
	UID       types.UID
}
