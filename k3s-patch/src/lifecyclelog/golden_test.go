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

// This test is not part of the patch: it checks that k3s-patch/testdata holds exactly what this
// logger writes. verify.sh points WASMORCH_GOLDEN_DIR at that directory.

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fields splits the native part of a line into key/value pairs, unquoting quoted values.
func fields(t *testing.T, native string) (map[string]string, []string) {
	t.Helper()
	values := map[string]string{}
	var order []string
	rest := strings.TrimPrefix(native, Marker+" ")
	for rest != "" {
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			t.Fatalf("no '=' in %q", rest)
		}
		key := rest[:eq]
		rest = rest[eq+1:]
		var value string
		if strings.HasPrefix(rest, `"`) {
			quoted, err := strconv.QuotedPrefix(rest)
			if err != nil {
				t.Fatalf("bad quoted value in %q: %v", rest, err)
			}
			value, _ = strconv.Unquote(quoted)
			rest = rest[len(quoted):]
		} else {
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			value = rest[:end]
			rest = rest[end:]
		}
		rest = strings.TrimPrefix(rest, " ")
		values[key] = value
		order = append(order, key)
	}
	return values, order
}

// podAt and containerAt stand for the hooks, which take the time now: the golden
// lines carry fixed times. klog names this file as the caller, as it names the
// hook's file in K3s.
func podAt(ts time.Time, event, component, namespace, name, uid, node, handler string) {
	podLine(ts, event, component, namespace, name, uid, node, handler)
}

func containerAt(ts time.Time, event, namespace, name, uid, node, container, containerID, handler string) {
	containerLine(ts, event, namespace, name, uid, node, container, containerID, handler)
}

func TestGoldenFilesHoldWhatTheLoggerWrites(t *testing.T) {
	dir := os.Getenv("WASMORCH_GOLDEN_DIR")
	if dir == "" {
		t.Skip("WASMORCH_GOLDEN_DIR not set (verify.sh sets it to k3s-patch/testdata)")
	}
	logs, err := filepath.Glob(filepath.Join(dir, "*", "k3s.log"))
	if err != nil || len(logs) == 0 {
		t.Fatalf("no */k3s.log under %s", dir)
	}
	checked := 0
	for _, path := range logs {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		scanner := bufio.NewScanner(f)
		for n := 1; scanner.Scan(); n++ {
			line := scanner.Text()
			at := strings.Index(line, Marker)
			if at < 0 {
				continue
			}
			golden := line[at:]
			v, _ := fields(t, golden)
			ts, err := time.Parse(time.RFC3339Nano, v["ts"])
			if err != nil {
				t.Fatalf("%s:%d: ts: %v", path, n, err)
			}
			buf := capture(t, v["host"])
			switch v["event"] {
			case "KubeEvent":
				KubeEvent(ts, v["component"], v["ns"], v["kind"], v["object"], v["objuid"], v["reason"], v["msg"])
			case "ContainerCreated", "ContainerStarted":
				containerAt(ts, v["event"], v["ns"], v["pod"], v["uid"], v["node"], v["container"], v["cid"], v["handler"])
			default:
				podAt(ts, v["event"], v["component"], v["ns"], v["pod"], v["uid"], v["node"], v["handler"])
			}
			if got := onlyLine(t, buf); got != golden {
				t.Errorf("%s:%d:\n golden %q\n logger %q", path, n, golden, got)
			}
			configure("", "", nil)
			checked++
		}
		f.Close()
	}
	if checked == 0 {
		t.Fatal("no lifecycle lines in the golden files")
	}
}
