package dev.wasmorch.pipeline.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * K3s chatter without lifecycle events: what a real server (apiserver, etcd, controllers) or agent
 * (kubelet, containerd, cAdvisor) writes between the lines the analyzer wants. None of it carries
 * the native marker or the phrases the analyzer reads from unpatched clusters ("Event occurred",
 * "Successfully bound pod to node", "Observed pod startup duration"), so it must all be skipped.
 */
final class NoiseSource {

    /** One chatter line: klog severity, klog source ({@code null}: the message has its own header). */
    record Noise(char severity, String source, String message) {}

    private static final DateTimeFormatter LOGRUS_TS = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final boolean server;
    private final SplittableRandom rng;
    private String pod;
    private String podUid;
    private long trace = 4_100;

    NoiseSource(boolean server, SplittableRandom rng) {
        this.server = server;
        this.rng = rng;
    }

    /** Chatter is about the pod being worked on: lines until the next call mention this one. */
    void mention(String namespace, String name, String uid) {
        this.pod = namespace + "/" + name;
        this.podUid = uid;
    }

    Noise next(Instant time) {
        return server ? serverLine(time) : agentLine(time);
    }

    private Noise serverLine(Instant time) {
        int pick = rng.nextInt(100);
        if (pick < 30) {
            return new Noise(
                    'I',
                    null,
                    String.format(
                            Locale.ROOT,
                            "{\"level\":\"info\",\"ts\":\"%s\",\"caller\":\"traceutil/trace.go:171\",\"msg\":\"trace[%d] range\","
                                    + "\"detail\":\"{range_begin:/registry/pods/%s; range_end:; response_count:1; response_revision:%d; }\","
                                    + "\"duration\":\"%.6fms\",\"start\":\"%s\",\"end\":\"%s\",\"steps\":[\"trace[%d] 'agreement among raft nodes before linearized reading'\"]}",
                            LOGRUS_TS.format(time),
                            trace++,
                            pod,
                            20_000 + trace,
                            100 + rng.nextDouble() * 400,
                            LOGRUS_TS.format(time),
                            LOGRUS_TS.format(time),
                            trace));
        }
        if (pick < 55) {
            String[] parts = pod.split("/", 2);
            return new Noise(
                    'I',
                    "trace.go:236",
                    String.format(
                            Locale.ROOT,
                            "Trace[%d]: \"Update\" accept:application/vnd.kubernetes.protobuf, */*,audit-id:%s,client:127.0.0.1,"
                                    + "api-group:,api-version:v1,name:%s,subresource:status,namespace:%s,protocol:HTTP/2.0,"
                                    + "resource:pods,scope:resource,url:/api/v1/namespaces/%s/pods/%s/status,"
                                    + "user-agent:k3s/v1.28.2+k3s1 (linux/amd64) kubernetes/4f6b2a1,verb:PUT (total time: %dms):",
                            trace++,
                            podUid,
                            parts[1],
                            parts[0],
                            parts[0],
                            parts[1],
                            500 + rng.nextInt(400)));
        }
        if (pick < 75) {
            String[] parts = pod.split("/", 2);
            String rs = parts[1].substring(0, Math.max(0, parts[1].lastIndexOf('-')));
            return new Noise(
                    'I',
                    "replica_set.go:676",
                    String.format(
                            Locale.ROOT,
                            "\"Finished syncing\" kind=\"ReplicaSet\" key=\"%s/%s\" duration=\"%.6fms\"",
                            parts[0],
                            rs,
                            0.05 + rng.nextDouble() * 20));
        }
        if (pick < 88) {
            return new Noise(
                    'I',
                    "controller.go:624",
                    "quota admission added evaluator for: "
                            + (rng.nextBoolean() ? "replicasets.apps" : "endpoints.discovery.k8s.io"));
        }
        if (pick < 96) {
            return new Noise('I', "tlsconfig.go:240", "\"Starting DynamicServingCertificateController\"");
        }
        return new Noise('W', "lease.go:265", "Resetting endpoints for master service \"kubernetes\" to [10.0.0.10]");
    }

    private Noise agentLine(Instant time) {
        int pick = rng.nextInt(100);
        if (pick < 25) {
            return new Noise(
                    'I',
                    "kubelet.go:2479",
                    String.format(
                            Locale.ROOT,
                            "\"SyncLoop (PLEG): event for pod\" pod=\"%s\" event={\"ID\":\"%s\",\"Type\":\"ContainerStarted\",\"Data\":\"%s\"}",
                            pod,
                            podUid,
                            hex(64)));
        }
        if (pick < 45) {
            return new Noise(
                    'I',
                    null,
                    String.format(
                            Locale.ROOT,
                            "time=\"%s\" level=info msg=\"StartContainer for \\\"%s\\\" returns successfully\"",
                            LOGRUS_TS.format(time),
                            hex(64)));
        }
        if (pick < 62) {
            return new Noise(
                    'I',
                    "reconciler_common.go:258",
                    String.format(
                            Locale.ROOT,
                            "\"operationExecutor.VerifyControllerAttachedVolume started for volume \\\"kube-api-access-%s\\\" "
                                    + "(UniqueName: \\\"kubernetes.io/projected/%s-kube-api-access\\\") pod=\\\"%s\\\"\" pod=\"%s\"",
                            hex(5),
                            podUid,
                            pod,
                            pod));
        }
        if (pick < 76) {
            return new Noise('I', "kubelet.go:2405", "\"SyncLoop UPDATE\" source=\"api\" pods=[\"" + pod + "\"]");
        }
        if (pick < 86) {
            return new Noise(
                    'I',
                    null,
                    String.format(
                            Locale.ROOT,
                            "time=\"%s\" level=info msg=\"RunPodSandbox for &PodSandboxMetadata{Name:%s,Uid:%s,Attempt:0,} returns sandbox id \\\"%s\\\"\"",
                            LOGRUS_TS.format(time),
                            pod.substring(pod.indexOf('/') + 1),
                            podUid,
                            hex(64)));
        }
        if (pick < 95) {
            return new Noise(
                    'W',
                    "watcher.go:93",
                    String.format(
                            Locale.ROOT,
                            "Error while processing event (\"/sys/fs/cgroup/kubepods/besteffort/pod%s\": 0x40000100 == IN_CREATE|IN_ISDIR): "
                                    + "readdirent /sys/fs/cgroup/kubepods/besteffort/pod%s: no such file or directory",
                            podUid,
                            podUid));
        }
        return new Noise(
                'E',
                "pod_workers.go:1300",
                String.format(
                        Locale.ROOT,
                        "\"Error syncing pod, skipping\" err=\"failed to \\\"KillPodSandbox\\\" for \\\"%s\\\" with KillPodSandboxError: "
                                + "\\\"rpc error: code = Unknown desc = failed to destroy network for sandbox\\\"\" pod=\"%s\" podUID=\"%s\"",
                        podUid,
                        pod,
                        podUid));
    }

    private String hex(int length) {
        return Randoms.hex(rng, length);
    }
}
