/*
Copyright 2026 The wasmorch Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Package lifecyclelog writes pod-lifecycle events in the wasmorch native log
// format, version 1 (docs/log-format.md of wasmorch), through klog, so that the
// lines reach the same destinations as the component's other logs (stderr,
// journald, the --log file of K3s) behind the usual klog header.
//
// The API server stores Event times in whole seconds; the lines written here
// carry the time taken in the component, with nanosecond resolution, in UTC.
//
// Logging is off unless the environment variable WASMORCH_LIFECYCLE_LOG is "1"
// or "true" when the process starts. While off, every exported function returns
// after a single atomic load, before any time is taken or anything formatted.
package lifecyclelog

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"k8s.io/klog/v2"
)

const (
	// Marker starts every event; the analyzer finds it anywhere in a line.
	Marker = "WASMORCH-LIFECYCLE/1"
	// EnvEnable turns the logger on ("1" or "true").
	EnvEnable = "WASMORCH_LIFECYCLE_LOG"
	// EnvHost overrides the host field (default: the kernel's hostname).
	EnvHost = "WASMORCH_LIFECYCLE_HOST"

	tsLayout = "2006-01-02T15:04:05.000000000Z"
	// createdPodPrefix starts the message of the ReplicaSet/Job controllers'
	// SuccessfulCreate events, the only place that names the created pod.
	createdPodPrefix = "Created pod: "
)

var (
	enabled atomic.Bool
	// host is written before enabled is stored and read only after enabled
	// was loaded as true, so the atomic orders the accesses.
	host string
)

func init() {
	configure(os.Getenv(EnvEnable), os.Getenv(EnvHost), os.Hostname)
}

func configure(enable, hostOverride string, hostname func() (string, error)) {
	on := enable == "1" || strings.EqualFold(enable, "true")
	if on {
		host = hostOverride
		if host == "" {
			if h, err := hostname(); err == nil {
				host = h
			}
		}
	}
	enabled.Store(on)
}

// Enabled reports whether lifecycle lines are written.
func Enabled() bool {
	return enabled.Load()
}

// Pod records a pod-level event (PodScheduled, PodSeen, SandboxReady, ...)
// that happens now. node and handler may be empty when unknown.
func Pod(event, component, namespace, name, uid, node, handler string) {
	if enabled.Load() {
		podLine(time.Now(), event, component, namespace, name, uid, node, handler)
	}
}

// PodAt records a pod-level event whose time was taken by the caller (e.g. the
// LastTransitionTime the kubelet just set on the PodReady condition).
func PodAt(ts time.Time, event, component, namespace, name, uid, node string) {
	if enabled.Load() {
		podLine(ts, event, component, namespace, name, uid, node, "")
	}
}

// Container records a kubelet container event (ContainerCreated,
// ContainerStarted) that happens now.
func Container(event, namespace, name, uid, node, container, containerID, handler string) {
	if enabled.Load() {
		containerLine(time.Now(), event, namespace, name, uid, node, container, containerID, handler)
	}
}

// KubeEvent records a Kubernetes Event at the time its recorder made it.
// component is the recorder's reporting component; kind, name and uid are the
// involved object's. For a Pod the pod fields are set from the object; for
// SuccessfulCreate they are set from the message "Created pod: NAME".
func KubeEvent(ts time.Time, component, namespace, kind, name, uid, reason, message string) {
	if enabled.Load() {
		kubeEventLine(ts, component, namespace, kind, name, uid, reason, message)
	}
}

func podLine(ts time.Time, event, component, namespace, name, uid, node, handler string) {
	b := start(ts, event)
	podFields(b, namespace, name, uid, node, component)
	optional(b, "handler", handler)
	// depth 2: podLine <- Pod/PodAt <- the hook, whose file:line klog prints.
	klog.InfoDepth(2, b.String())
}

func containerLine(ts time.Time, event, namespace, name, uid, node, container, containerID, handler string) {
	b := start(ts, event)
	podFields(b, namespace, name, uid, node, "kubelet")
	field(b, "container", container)
	optional(b, "cid", containerID)
	optional(b, "handler", handler)
	klog.InfoDepth(2, b.String())
}

func kubeEventLine(ts time.Time, component, namespace, kind, name, uid, reason, message string) {
	b := start(ts, "KubeEvent")
	field(b, "ns", namespace)
	switch {
	case kind == "Pod":
		optional(b, "pod", name)
		optional(b, "uid", uid)
	case reason == "SuccessfulCreate" && strings.HasPrefix(message, createdPodPrefix):
		optional(b, "pod", strings.TrimPrefix(message, createdPodPrefix))
	}
	field(b, "host", host)
	field(b, "component", component)
	field(b, "reason", reason)
	field(b, "kind", kind)
	field(b, "object", name)
	optional(b, "objuid", uid)
	optional(b, "msg", message)
	klog.InfoDepth(2, b.String())
}

// podFields writes the fields that place a pod step, in the order of the format's table.
func podFields(b *strings.Builder, namespace, name, uid, node, component string) {
	field(b, "ns", namespace)
	field(b, "pod", name)
	optional(b, "uid", uid)
	optional(b, "node", node)
	field(b, "host", host)
	field(b, "component", component)
}

func start(ts time.Time, event string) *strings.Builder {
	b := &strings.Builder{}
	b.Grow(256)
	b.WriteString(Marker)
	field(b, "ts", ts.UTC().Format(tsLayout))
	field(b, "event", event)
	return b
}

// field writes a required field; an empty value is written as "".
func field(b *strings.Builder, key, value string) {
	b.WriteByte(' ')
	b.WriteString(key)
	b.WriteByte('=')
	if bare(value) {
		b.WriteString(value)
	} else {
		b.WriteString(strconv.Quote(value))
	}
}

// optional writes a field only when its value is known.
func optional(b *strings.Builder, key, value string) {
	if value != "" {
		field(b, key, value)
	}
}

// bare reports whether v may stand unquoted: non-empty and only
// A-Z a-z 0-9 . _ : / @ + , - (docs/log-format.md).
func bare(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == ':', c == '/', c == '@', c == '+', c == ',', c == '-':
		default:
			return false
		}
	}
	return true
}
