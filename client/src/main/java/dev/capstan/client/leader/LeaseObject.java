package dev.capstan.client.leader;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A coordination.k8s.io/v1 Lease with its spec kept as JSON. fabric8's {@code LeaseSpec} types its MicroTimes as
 * {@code ZonedDateTime}, which {@link KubeJson}'s mapper cannot read or write (no jsr310 module); this type reads
 * and writes the same resource with the times as the MicroTime strings of the wire, and keeps spec fields it does not
 * know (strategy, preferredHolder) through an update.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class) // not fabric8's dispatch by kind, which would pick its Lease
final class LeaseObject implements HasMetadata {
    /** The Lease resource, decoded as this type. */
    static final Kind<LeaseObject> KIND = new Kind<>(
            Kinds.LEASES.group(),
            Kinds.LEASES.version(),
            Kinds.LEASES.resource(),
            Kinds.LEASES.kind(),
            true,
            LeaseObject.class);

    /** metav1.MicroTime's format: RFC 3339 with microseconds, always UTC. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @JsonProperty
    private String apiVersion = Kinds.LEASES.apiVersion();

    @JsonProperty
    private String kind = Kinds.LEASES.kind();

    @JsonProperty
    private ObjectMeta metadata;

    @JsonProperty
    private ObjectNode spec;

    LeaseObject() {}

    static LeaseObject of(String namespace, String name, LeaderElectionRecord record) {
        LeaseObject lease = new LeaseObject();
        lease.metadata =
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build();
        lease.spec = KubeJson.object();
        lease.writeRecord(record);
        return lease;
    }

    /** The election record the spec holds; missing fields read as Go's zero values, as upstream's conversion. */
    LeaderElectionRecord record() {
        ObjectNode s = spec == null ? KubeJson.object() : spec;
        return new LeaderElectionRecord(
                s.path("holderIdentity").asText(""),
                s.path("leaseDurationSeconds").asInt(0),
                time(s.path("acquireTime").asText("")),
                time(s.path("renewTime").asText("")),
                s.path("leaseTransitions").asInt(0));
    }

    /** A copy (same metadata, so the same resourceVersion precondition) whose spec holds {@code record}. */
    LeaseObject with(LeaderElectionRecord record) {
        LeaseObject next = new LeaseObject();
        next.metadata = new ObjectMetaBuilder(metadata).build();
        next.spec = spec == null ? KubeJson.object() : spec.deepCopy();
        next.writeRecord(record);
        return next;
    }

    private void writeRecord(LeaderElectionRecord record) {
        if (record.holderIdentity().isEmpty()) {
            spec.remove("holderIdentity");
        } else {
            spec.put("holderIdentity", record.holderIdentity());
        }
        spec.put("leaseDurationSeconds", record.leaseDurationSeconds());
        putTime("acquireTime", record.acquireTime());
        putTime("renewTime", record.renewTime());
        spec.put("leaseTransitions", record.leaseTransitions());
    }

    private void putTime(String field, Instant time) {
        if (time == null) {
            spec.remove(field);
        } else {
            spec.put(field, MICRO_TIME.format(time));
        }
    }

    private static Instant time(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // a time we cannot read is as good as none: decisions never use the remote clock
        }
    }

    static String format(Instant time) {
        return MICRO_TIME.format(time);
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String version) {
        this.apiVersion = version;
    }

    @Override
    public String getKind() {
        return kind;
    }
}
