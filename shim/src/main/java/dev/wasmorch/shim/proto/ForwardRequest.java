package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.time.Instant;

/**
 * {@code containerd.services.events.ttrpc.v1.ForwardRequest} with its {@code Envelope}
 * (api/services/ttrpc/events/v1/events.proto): how a shim hands an event to containerd.
 * The event travels as a {@code google.protobuf.Any} ({@code type_url = 1, value = 2}).
 */
public record ForwardRequest(Instant timestamp, String namespace, String topic, String typeUrl, byte[] event) {

    public static ForwardRequest of(Instant timestamp, String namespace, TaskEvent event) {
        return new ForwardRequest(timestamp, namespace, event.topic(), event.typeUrl(), event.toBytes());
    }

    public byte[] toBytes() {
        byte[] any = new ProtoOut().string(1, typeUrl).bytes(2, event).toBytes();
        byte[] envelope = new ProtoOut()
                .timestamp(1, timestamp)
                .string(2, namespace)
                .string(3, topic)
                .message(4, any)
                .toBytes();
        return new ProtoOut().message(1, envelope).toBytes();
    }

    public static ForwardRequest parse(byte[] data) throws IOException {
        Instant timestamp = Instant.EPOCH;
        String namespace = "";
        String topic = "";
        String typeUrl = "";
        byte[] event = new byte[0];
        ProtoIn forward = ProtoIn.of(data);
        while (forward.next()) {
            if (forward.field() != 1) {
                forward.skip();
                continue;
            }
            ProtoIn envelope = ProtoIn.of(forward.bytes());
            while (envelope.next()) {
                switch (envelope.field()) {
                    case 1 -> timestamp = envelope.timestamp();
                    case 2 -> namespace = envelope.string();
                    case 3 -> topic = envelope.string();
                    case 4 -> {
                        ProtoIn any = ProtoIn.of(envelope.bytes());
                        while (any.next()) {
                            switch (any.field()) {
                                case 1 -> typeUrl = any.string();
                                case 2 -> event = any.bytes();
                                default -> any.skip();
                            }
                        }
                    }
                    default -> envelope.skip();
                }
            }
        }
        return new ForwardRequest(timestamp, namespace, topic, typeUrl, event);
    }
}
