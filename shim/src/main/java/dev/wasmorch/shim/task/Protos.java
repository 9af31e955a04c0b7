package dev.wasmorch.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Java values in the generated messages' terms, as containerd's Go side writes them. */
public final class Protos {

    private Protos() {}

    /**
     * An Any named as containerd's typeurl registry names protobuf messages: by the message's full
     * name ({@code containerd.events.TaskExit}), without {@link Any#pack}'s {@code type.googleapis.com/}.
     */
    public static Any any(Message message) {
        return Any.newBuilder()
                .setTypeUrl(message.getDescriptorForType().getFullName())
                .setValue(message.toByteString())
                .build();
    }

    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder()
                .setSeconds(at.getEpochSecond())
                .setNanos(at.getNano())
                .build();
    }

    public static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
