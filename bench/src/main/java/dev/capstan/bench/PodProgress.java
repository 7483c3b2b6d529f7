package dev.capstan.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.capstan.client.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A pod read for the three fields the harness's watches time it by: its name, its node and its phase; the rest of
 * each event is skipped while decoding. The harness shares the two cores with the cluster it measures: with its JIT
 * (see {@link HarnessJvm}), decoding every watch event into a whole fabric8 Pod made it as busy as the simulated
 * nodes (docs/benchmarks.md, "The harness's share of the cores").
 */
@JsonIgnoreProperties(ignoreUnknown = true)
// fabric8's KubernetesResource picks a class by kind when decoding; this one is decoded as itself
@JsonDeserialize(using = JsonDeserializer.None.class)
final class PodProgress implements HasMetadata {
    static final Kind<PodProgress> KIND = new Kind<>("", "v1", "pods", "Pod", true, PodProgress.class);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Name(String name) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Spec(String nodeName) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Status(String phase) {}

    private String apiVersion;

    @JsonProperty("metadata")
    private Name name;

    @JsonProperty("spec")
    private Spec spec;

    @JsonProperty("status")
    private Status status;

    String name() {
        return name == null ? null : name.name();
    }

    /** The node it is bound to, or null. */
    String nodeName() {
        return spec == null ? null : spec.nodeName();
    }

    /** Its phase, or null before the node first reports it. */
    String phase() {
        return status == null ? null : status.phase();
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    @JsonIgnore
    public ObjectMeta getMetadata() {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name());
        return meta;
    }

    @Override
    @JsonIgnore
    public void setMetadata(ObjectMeta metadata) {
        this.name = new Name(metadata == null ? null : metadata.getName());
    }
}
