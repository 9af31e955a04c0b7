package dev.wasmorch.shim.proto;

import java.io.IOException;

/**
 * The part of {@code io.containerd.cgroups.v2.Metrics} (github.com/containerd/cgroups,
 * v2/stats/metrics.proto) a WASM app can fill: {@code CPUStat cpu = 2} ({@code usage_usec = 1}),
 * {@code MemoryStat memory = 4} ({@code usage = 32}, {@code usage_limit = 33}) and
 * {@code MemoryEvents memory_events = 8} ({@code max = 3}). containerd's CRI plugin reads exactly
 * these for a container's CPU and memory (kubectl top, metrics-server).
 */
public record CgroupV2Metrics(long cpuUsageUsec, long memoryUsage, long memoryUsageLimit, long memoryEventsMax) {

    /** The name containerd's typeurl gives the message (its protobuf full name). */
    public static final String TYPE_URL = "io.containerd.cgroups.v2.Metrics";

    public byte[] toBytes() {
        return new ProtoOut()
                .message(2, new ProtoOut().uint64(1, cpuUsageUsec).toBytes())
                .message(
                        4,
                        new ProtoOut()
                                .uint64(32, memoryUsage)
                                .uint64(33, memoryUsageLimit)
                                .toBytes())
                .message(8, new ProtoOut().uint64(3, memoryEventsMax).toBytes())
                .toBytes();
    }

    public ProtoAny toAny() {
        return new ProtoAny(TYPE_URL, toBytes());
    }

    public static CgroupV2Metrics parse(byte[] data) throws IOException {
        long cpu = 0;
        long usage = 0;
        long limit = 0;
        long max = 0;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 2 -> {
                    ProtoIn c = ProtoIn.of(in.bytes());
                    while (c.next()) {
                        if (c.field() == 1) {
                            cpu = c.uint64();
                        } else {
                            c.skip();
                        }
                    }
                }
                case 4 -> {
                    ProtoIn m = ProtoIn.of(in.bytes());
                    while (m.next()) {
                        switch (m.field()) {
                            case 32 -> usage = m.uint64();
                            case 33 -> limit = m.uint64();
                            default -> m.skip();
                        }
                    }
                }
                case 8 -> {
                    ProtoIn e = ProtoIn.of(in.bytes());
                    while (e.next()) {
                        if (e.field() == 3) {
                            max = e.uint64();
                        } else {
                            e.skip();
                        }
                    }
                }
                default -> in.skip();
            }
        }
        return new CgroupV2Metrics(cpu, usage, limit, max);
    }
}
