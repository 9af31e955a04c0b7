// Package types stands in for k8s.io/apimachinery/pkg/types (v0.36.3, pkg/types/uid.go).
package types

// UID is declared as in apimachinery: a string type, so hooks must convert it with string().
type UID string
