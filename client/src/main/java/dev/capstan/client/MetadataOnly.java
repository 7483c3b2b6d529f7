package dev.capstan.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * An object of any kind read for its metadata alone, as upstream's metadata informers read PartialObjectMetadata: the
 * rest of the document (spec, data, status) is skipped while decoding, never held. For loops that need only names,
 * owners and finalizers of kinds they do not otherwise read, such as the garbage collector's graph.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
// fabric8's KubernetesResource picks a class by kind when decoding; this one is decoded as itself
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class MetadataOnly implements HasMetadata {
    private String apiVersion;
    private String kind;
    private ObjectMeta metadata;

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }
}
