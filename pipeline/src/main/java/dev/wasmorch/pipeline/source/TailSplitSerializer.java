package dev.wasmorch.pipeline.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of a {@link TailSplit}; version 1. */
public final class TailSplitSerializer implements SimpleVersionedSerializer<TailSplit> {

    public static final TailSplitSerializer INSTANCE = new TailSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(TailSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public TailSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(TailSplit s, DataOutputStream out) throws IOException {
        out.writeUTF(s.path());
        out.writeUTF(s.fileKey());
        out.writeLong(s.offset());
        out.writeLong(s.line());
        out.writeLong(s.reportedLines());
        out.writeLong(s.fingerprint());
        out.writeInt(s.fingerprintLength());
    }

    static TailSplit read(DataInputStream in) throws IOException {
        return new TailSplit(
                in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt());
    }

    static void checkVersion(int version) throws IOException {
        if (version != 1) {
            throw new IOException("unknown tail-source checkpoint version " + version + " (this build reads 1)");
        }
    }
}
