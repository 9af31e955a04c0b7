package dev.wasmorch.pipeline.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of a {@link TailEnumeratorState}; version 1. */
public final class TailEnumeratorStateSerializer implements SimpleVersionedSerializer<TailEnumeratorState> {

    public static final TailEnumeratorStateSerializer INSTANCE = new TailEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(TailEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.known().size());
            for (Map.Entry<String, String> e : state.known().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(state.pending().size());
            for (TailSplit s : state.pending()) {
                TailSplitSerializer.write(s, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public TailEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        TailSplitSerializer.checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int nKnown = in.readInt();
            Map<String, String> known = new LinkedHashMap<>();
            for (int i = 0; i < nKnown; i++) {
                known.put(in.readUTF(), in.readUTF());
            }
            int nPending = in.readInt();
            List<TailSplit> pending = new ArrayList<>(nPending);
            for (int i = 0; i < nPending; i++) {
                pending.add(TailSplitSerializer.read(in));
            }
            return new TailEnumeratorState(known, pending);
        }
    }
}
