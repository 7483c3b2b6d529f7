package dev.capstan.api.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads Kubernetes protobuf request bodies. kubectl's typed commands (create deployment/configmap/secret/..., create
 * token, auth can-i, autoscale) send {@value #MEDIA_TYPE} and do not retry as JSON, so the server turns the body into
 * the JSON kubectl would otherwise have sent and handles it as usual.
 *
 * <p>Wire format: the 4 bytes {@code k8s\0}, then a {@code runtime.Unknown} whose typeMeta names the type and whose
 * raw bytes are the object's own message (which, like every Kubernetes message, carries no apiVersion or kind).
 */
public final class ProtobufBodies {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufBodies() {}

    /**
     * Decodes a Kubernetes protobuf request body into Kubernetes JSON.
     *
     * @throws IllegalArgumentException if the magic prefix is missing, the envelope or object is malformed, the
     *     apiVersion/kind has no known message, or the object has fields this server's schema lacks
     */
    public static ObjectNode decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (!hasMagic(body)) {
            throw new IllegalArgumentException("not a Kubernetes protobuf body: it must start with the bytes 'k8s\\0'");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parser().parseFrom(body, MAGIC.length, body.length - MAGIC.length);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed protobuf envelope (runtime.Unknown): " + e.getMessage(), e);
        }
        ProtoJson.rejectUnknownFields(envelope, "");
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("protobuf envelope (runtime.Unknown) has no apiVersion and kind");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new IllegalArgumentException(
                    "unsupported protobuf content encoding '" + envelope.getContentEncoding() + "'");
        }
        Message prototype = KindTable.prototype(apiVersion, kind)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no protobuf schema for " + kind + " in " + apiVersion + "; send it as application/json"));
        Message object;
        try {
            object = prototype.getParserForType().parseFrom(envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed protobuf " + kind + ": " + e.getMessage(), e);
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        json.put("apiVersion", apiVersion);
        json.setAll(ProtoJson.toJson(object));
        return json;
    }

    /** Whether the bytes start with the Kubernetes protobuf magic {@code k8s\0}. */
    static boolean hasMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }
}
