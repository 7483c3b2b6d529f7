package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.GcPolicy;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.table.BatchPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.BatchStatusValidation;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Jobs (upstream pkg/registry/batch/job): status through its subresource, generation counting spec changes. */
public final class JobStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.of(
            "status.successful",
            job -> Long.toString(job.path("status").path("succeeded").asLong(0)));

    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return BatchStatusValidation.validateJobStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.batch.v1.Job.class, "batch", "v1", "Job", "jobs")
                .subresources("status")
                .categories("all")
                .build(new JobStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.job(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
        Prepare.template(object, null, "spec", "template");
        ObjectMetaRules.initGeneration(object);
        JobSelectors.generate(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
        Prepare.template(object, old, "spec", "template");
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.job(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.job(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    /** batch/v1 keeps a deleted Job's pods unless the request asks otherwise, as upstream does for this version. */
    @Override
    public GcPolicy gcPolicy() {
        return GcPolicy.ORPHAN_DEPENDENTS;
    }

    @Override
    public Optional<String> deleteWarning(DeleteOptions options) {
        if (options.propagationPolicy() != null || options.orphanDependents() != null) {
            return Optional.empty();
        }
        return Optional.of("child pods are preserved by default when jobs are deleted; set propagationPolicy=Background"
                + " to remove them or set propagationPolicy=Orphan to suppress this warning");
    }

    @Override
    public KindTable table() {
        return BatchPrinters.JOB;
    }
}
