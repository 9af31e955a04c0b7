/**
 * A synthetic K3s cluster for demos, tests and benchmarks: {@link dev.wasmorch.pipeline.demo.ClusterGenerator}
 * writes the server's and agents' logs with native lifecycle lines (contract/log-format.md), K3s chatter, a skewed
 * agent clock, incomplete pods and damaged lines, plus a {@code kubectl get pods -A -o json} snapshot.
 * docs/demo-and-report.md describes the files.
 */
package dev.wasmorch.pipeline.demo;
