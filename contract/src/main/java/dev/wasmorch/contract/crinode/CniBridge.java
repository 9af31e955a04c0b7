package dev.wasmorch.contract.crinode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's pod network: a CNI bridge with host-local IPAM, of a subnet no other node on this
 * machine holds. Nodes started side by side (parallel test runs, an experiment next to them) each
 * reserve a /24 of 10.200.0.0–10.249.255.0 by creating a file named for it under {@link #RESERVED}
 * (atomic, so two nodes never take the same one), holding the owner's pid so that the reservation
 * of a process that died is taken back. The bridge is named for the subnet, so it is unique too.
 */
public final class CniBridge {

    /** Where subnets are reserved: one file per /24, shared by all nodes of this machine. */
    static final Path RESERVED = Path.of("/run/wasmorch/cri-subnets");

    private static final int ATTEMPTS = 200;

    private final int second;
    private final int third;
    private final Path reservation;

    private CniBridge(int second, int third, Path reservation) {
        this.second = second;
        this.third = third;
        this.reservation = reservation;
    }

    /** Reserves a free subnet (none of this machine's routes overlap it). */
    static CniBridge reserve() throws IOException {
        Files.createDirectories(RESERVED);
        List<long[]> routes = routes();
        String self = Long.toString(ProcessHandle.current().pid());
        for (int i = 0; i < ATTEMPTS; i++) {
            int second = ThreadLocalRandom.current().nextInt(200, 250);
            int third = ThreadLocalRandom.current().nextInt(0, 256);
            String network = "10." + second + "." + third + ".0";
            long ours = (10L << 24) | ((long) second << 16) | ((long) third << 8);
            if (routes.stream().anyMatch(r -> overlaps(ours, r[0], r[1]))) {
                continue;
            }
            Path file = RESERVED.resolve(network);
            try {
                Files.writeString(file, self, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new CniBridge(second, third, file);
            } catch (FileAlreadyExistsException taken) {
                reclaimIfOrphaned(file);
            }
        }
        throw new IOException(
                "no free /24 in 10.200.0.0/13 after " + ATTEMPTS + " tries (reservations in " + RESERVED + ")");
    }

    /** The bridge's interface name (at most 15 bytes, as Linux allows). */
    public String name() {
        return "wcri" + second + "x" + third;
    }

    /** The pod subnet, e.g. {@code 10.213.7.0/24}. */
    public String subnet() {
        return "10." + second + "." + third + ".0/24";
    }

    /** The bridge's own address, the pods' gateway: {@code .1} of the subnet. */
    public String gateway() {
        return "10." + second + "." + third + ".1";
    }

    /**
     * The CNI network config: bridge (gateway on the node, no masquerade: pods reach the node and
     * each other, nothing beyond) with host-local IPAM keeping its leases in {@code ipamDir}.
     */
    String conflist(Path ipamDir) {
        return """
                {"cniVersion": "1.0.0", "name": "%1$s", "plugins": [
                  {"type": "bridge", "bridge": "%1$s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                   "ipam": {"type": "host-local", "dataDir": "%2$s",
                            "ranges": [[{"subnet": "%3$s", "gateway": "%4$s"}]]}},
                  {"type": "loopback"}
                ]}
                """.formatted(name(), ipamDir, subnet(), gateway());
    }

    /** Deletes the bridge (if a pod ever made it) and gives the subnet back. */
    void release() throws IOException, InterruptedException {
        if (Files.exists(Path.of("/sys/class/net", name()))) {
            Command.run(List.of("ip", "link", "delete", name()), Duration.ofSeconds(10))
                    .ok();
        }
        Files.deleteIfExists(reservation);
    }

    private static void reclaimIfOrphaned(Path file) throws IOException {
        String owner;
        try {
            owner = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException gone) {
            return; // released meanwhile
        }
        // an empty file is one being written right now; only a dead owner's subnet is taken back
        if (owner.matches("\\d+") && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
            Files.deleteIfExists(file);
        }
    }

    /** Whether the /24 {@code ours} shares an address with the route's network (default route aside). */
    private static boolean overlaps(long ours, long dest, long mask) {
        if (mask == 0) {
            return false;
        }
        long common = mask & 0xffffff00L; // the shorter of the two prefixes
        return (ours & common) == (dest & common);
    }

    /** This machine's IPv4 routes as {destination, mask}, most significant octet first. */
    private static List<long[]> routes() throws IOException {
        List<long[]> routes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].matches("[0-9A-Fa-f]{8}") || !f[7].matches("[0-9A-Fa-f]{8}")) {
                continue; // the header line
            }
            routes.add(new long[] {swap(Long.parseLong(f[1], 16)), swap(Long.parseLong(f[7], 16))});
        }
        return routes;
    }

    /** /proc/net/route prints addresses in the kernel's (little-endian) byte order. */
    private static long swap(long v) {
        return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | ((v >> 24) & 0xff);
    }
}
