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

package lifecyclelog

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"k8s.io/klog/v2"
)

// capture routes klog into a buffer for one test and turns the logger on with
// the given host.
func capture(t *testing.T, hostName string) *bytes.Buffer {
	t.Helper()
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	if err := fs.Set("logtostderr", "false"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Set("alsologtostderr", "false"); err != nil {
		t.Fatal(err)
	}
	buf := &bytes.Buffer{}
	klog.SetOutput(buf)
	configure("1", hostName, func() (string, error) { return "", errors.New("no hostname in this test") })
	t.Cleanup(func() {
		klog.Flush()
		configure("", "", nil)
	})
	return buf
}

// klogHeader is klog's text header with a test file as the caller: the hook
// site, not the logger, must appear as file:line.
var klogHeader = regexp.MustCompile(`^I\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ [a-z_]+_test\.go:\d+\] `)

func onlyLine(t *testing.T, buf *bytes.Buffer) string {
	t.Helper()
	klog.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want exactly one line, got %d: %q", len(lines), buf.String())
	}
	if !klogHeader.MatchString(lines[0]) {
		t.Fatalf("line lacks a klog header naming the caller: %q", lines[0])
	}
	return klogHeader.ReplaceAllString(lines[0], "")
}

func TestDisabledWritesNothing(t *testing.T) {
	buf := capture(t, "server-1")
	configure("0", "server-1", nil)
	Pod("PodScheduled", "kube-scheduler", "default", "p", "u", "n", "")
	PodAt(time.Now(), "PodReady", "kubelet", "default", "p", "u", "n")
	Container("ContainerStarted", "default", "p", "u", "n", "c", "", "runc")
	KubeEvent(time.Now(), "kubelet", "default", "Pod", "p", "u", "Started", "Started container c")
	klog.Flush()
	if buf.Len() != 0 {
		t.Fatalf("disabled logger wrote %q", buf.String())
	}
	if Enabled() {
		t.Fatal("Enabled() is true after configure(\"0\")")
	}
}

func TestDisabledPathAllocatesNothing(t *testing.T) {
	configure("", "", nil)
	ts := time.Now()
	allocs := testing.AllocsPerRun(1000, func() {
		KubeEvent(ts, "replicaset-controller", "default", "ReplicaSet", "aes-7d9c5b8f6", "uid", "SuccessfulCreate", "Created pod: aes-7d9c5b8f6-x2x9k")
		Pod("PodSeen", "kubelet", "default", "aes-7d9c5b8f6-x2x9k", "uid", "agent-1", "")
	})
	if allocs != 0 {
		t.Fatalf("disabled path allocates %v times per call", allocs)
	}
}

func TestPodAtWritesNativeLineInUTC(t *testing.T) {
	buf := capture(t, "agent-1")
	ts := time.Date(2026, 11, 26, 22, 24, 9, 123456789, time.FixedZone("CET", 3600))
	PodAt(ts, "PodReady", "kubelet", "default", "aes-7d9c5b8f6-x2x9k", "6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10", "agent-1")
	want := "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.123456789Z event=PodReady ns=default pod=aes-7d9c5b8f6-x2x9k" +
		" uid=6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10 node=agent-1 host=agent-1 component=kubelet"
	if got := onlyLine(t, buf); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestPodTakesTheTimeNow(t *testing.T) {
	buf := capture(t, "server-1")
	before := time.Now()
	Pod("PodScheduled", "kube-scheduler", "default", "p-1", "u-1", "agent-1", "")
	after := time.Now()
	got := onlyLine(t, buf)
	m := regexp.MustCompile(` ts=(\S+) `).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no ts in %q", got)
	}
	ts, err := time.Parse(time.RFC3339Nano, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if ts.Before(before.Truncate(time.Nanosecond)) || ts.After(after) {
		t.Fatalf("ts %v not within [%v, %v]", ts, before, after)
	}
	if !strings.HasSuffix(got, " event=PodScheduled ns=default pod=p-1 uid=u-1 node=agent-1 host=server-1 component=kube-scheduler") {
		t.Fatalf("unexpected fields: %q", got)
	}
}

func TestContainerLineCarriesContainerAndHandler(t *testing.T) {
	buf := capture(t, "agent-1")
	Container("ContainerStarted", "default", "aes-1", "u-1", "agent-1", "app", "", "spin")
	got := onlyLine(t, buf)
	want := " event=ContainerStarted ns=default pod=aes-1 uid=u-1 node=agent-1 host=agent-1 component=kubelet container=app handler=spin"
	if !strings.HasSuffix(got, want) {
		t.Fatalf("got %q, want suffix %q", got, want)
	}
}

func TestKubeEventOnReplicaSetNamesTheCreatedPod(t *testing.T) {
	buf := capture(t, "server-1")
	ts := time.Date(2026, 11, 26, 21, 24, 8, 901234000, time.UTC)
	KubeEvent(ts, "replicaset-controller", "default", "ReplicaSet", "aes-7d9c5b8f6", "0b5e", "SuccessfulCreate", "Created pod: aes-7d9c5b8f6-x2x9k")
	want := "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:08.901234000Z event=KubeEvent ns=default pod=aes-7d9c5b8f6-x2x9k" +
		" host=server-1 component=replicaset-controller reason=SuccessfulCreate kind=ReplicaSet object=aes-7d9c5b8f6" +
		` objuid=0b5e msg="Created pod: aes-7d9c5b8f6-x2x9k"`
	if got := onlyLine(t, buf); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestKubeEventOnPodSetsPodAndUID(t *testing.T) {
	buf := capture(t, "agent-1")
	KubeEvent(time.Unix(0, 0), "kubelet", "default", "Pod", "aes-1", "u-1", "Started", "Started container app")
	want := "WASMORCH-LIFECYCLE/1 ts=1970-01-01T00:00:00.000000000Z event=KubeEvent ns=default pod=aes-1 uid=u-1" +
		` host=agent-1 component=kubelet reason=Started kind=Pod object=aes-1 objuid=u-1 msg="Started container app"`
	if got := onlyLine(t, buf); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestUnsafeValuesAreQuotedAndStayOnOneLine(t *testing.T) {
	buf := capture(t, "")
	KubeEvent(time.Unix(0, 0), "kube scheduler", "", "Pod", "p\"1", "", "Failed", "line1\nline2\t\\ \x01 é \xff")
	want := `WASMORCH-LIFECYCLE/1 ts=1970-01-01T00:00:00.000000000Z event=KubeEvent ns="" pod="p\"1" host=""` +
		` component="kube scheduler" reason=Failed kind=Pod object="p\"1" msg="line1\nline2\t\\ \x01 é \xff"`
	if got := onlyLine(t, buf); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestConfigure(t *testing.T) {
	t.Cleanup(func() { configure("", "", nil) })
	hostname := func() (string, error) { return "node-a", nil }
	failing := func() (string, error) { return "", errors.New("no hostname") }
	cases := []struct {
		enable, override string
		hostname         func() (string, error)
		wantOn           bool
		wantHost         string
	}{
		{"1", "", hostname, true, "node-a"},
		{"TRUE", "", hostname, true, "node-a"},
		{"true", "server-1", hostname, true, "server-1"},
		{"1", "", failing, true, ""},
		{"", "", hostname, false, ""},
		{"yes", "", hostname, false, ""},
	}
	for _, c := range cases {
		host = ""
		configure(c.enable, c.override, c.hostname)
		if Enabled() != c.wantOn || host != c.wantHost {
			t.Errorf("configure(%q, %q): on=%v host=%q, want on=%v host=%q", c.enable, c.override, Enabled(), host, c.wantOn, c.wantHost)
		}
	}
}

func TestBare(t *testing.T) {
	for _, v := range []string{"aes-7d9c5b8f6-x2x9k", "2026-11-26T21:24:09.123456Z", "a/b@c+d,e:f_g.h"} {
		if !bare(v) {
			t.Errorf("bare(%q) = false", v)
		}
	}
	for _, v := range []string{"", "a b", "a\"b", "a=b", "é", "a\nb"} {
		if bare(v) {
			t.Errorf("bare(%q) = true", v)
		}
	}
}

func BenchmarkDisabled(b *testing.B) {
	configure("", "", nil)
	ts := time.Now()
	for i := 0; i < b.N; i++ {
		KubeEvent(ts, "kubelet", "default", "Pod", "p", "u", "Started", "Started container app")
	}
}

func BenchmarkEnabled(b *testing.B) {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	klog.SetOutput(io.Discard)
	configure("1", "k3s-agent-1", nil)
	b.Cleanup(func() { configure("", "", nil) })
	ts := time.Now()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		KubeEvent(ts, "kubelet", "default", "Pod", "aes-wasm-6d8f7c9b5-7xk2q", "3f1c2a9e-5b7d-4e21-9a0c-6d2e8f4b1a73", "Started", "Started container aes")
	}
}
