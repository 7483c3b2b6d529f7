package dev.capstan.api.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import java.io.UncheckedIOException;

/** Builds request bodies the way client-go does, and parses expected JSON. */
final class Bodies {

    /** The settings of dev.capstan.api.Json.MAPPER, which parses JSON request bodies in the server. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Bodies() {}

    /** 'k8s\0' + runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}, as client-go writes it. */
    static byte[] body(String apiVersion, String kind, Message object) {
        return body(Runtime.Unknown.newBuilder()
                .setTypeMeta(
                        Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.toByteString())
                .setContentEncoding("")
                .setContentType("")
                .build()
                .toByteArray());
    }

    static byte[] body(byte[] envelope) {
        byte[] body = new byte[4 + envelope.length];
        body[0] = 'k';
        body[1] = '8';
        body[2] = 's';
        System.arraycopy(envelope, 0, body, 4, envelope.length);
        return body;
    }

    /**
     * ObjectMeta as Go's generated marshaller writes it: every non-pointer field, so the empty strings, generation 0
     * and the empty creationTimestamp are on the wire even though kubectl never set them.
     */
    static Meta.ObjectMeta.Builder meta(String name) {
        return Meta.ObjectMeta.newBuilder()
                .setName(name)
                .setGenerateName("")
                .setNamespace("")
                .setSelfLink("")
                .setUid("")
                .setResourceVersion("")
                .setGeneration(0)
                .setCreationTimestamp(Meta.Time.getDefaultInstance());
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
