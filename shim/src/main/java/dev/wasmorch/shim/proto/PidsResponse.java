package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code containerd.task.v2.PidsResponse}: repeated {@code ProcessInfo} with only {@code pid = 1} set. */
public record PidsResponse(List<Integer> pids) {

    public PidsResponse {
        pids = List.copyOf(pids);
    }

    public byte[] toBytes() {
        ProtoOut out = new ProtoOut();
        pids.forEach(pid -> out.message(1, new ProtoOut().uint32(1, pid).toBytes()));
        return out.toBytes();
    }

    public static PidsResponse parse(byte[] data) throws IOException {
        List<Integer> pids = new ArrayList<>();
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            if (in.field() == 1) {
                pids.add(PidResponse.parse(in.bytes()).pid());
            } else {
                in.skip();
            }
        }
        return new PidsResponse(pids);
    }
}
