package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.GcPolicy;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.table.BatchPrinters;
import dev.capstan.api.validation.BatchStatusValidation;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validators;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Jobs (upstream pkg/registry/batch/job): a Job without a manual selector selects its pods by its own uid, and
 * batch/v1 keeps a deleted Job's pods unless asked otherwise.
 */
public final class JobStrategy extends WorkloadStrategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.of(
            "status.successful",
            job -> Long.toString(job.path("status").path("succeeded").asLong(0)));

    private JobStrategy() {
        super(
                Defaulting::job,
                Validators::job,
                new StatusRules(BatchStatusValidation::validateJobStatusUpdate),
                BatchPrinters.JOB);
    }

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.batch.v1.Job.class, "batch", "v1", "Job", "jobs")
                .subresources("status")
                .categories("all")
                .build(new JobStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        super.prepareForCreate(object);
        JobSelectors.generate(object);
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
}
