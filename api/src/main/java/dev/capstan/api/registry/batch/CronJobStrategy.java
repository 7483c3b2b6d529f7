package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.BatchPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.BatchStatusValidation;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** CronJobs (upstream pkg/registry/batch/cronjob): status through its subresource, generation counting spec changes. */
public final class CronJobStrategy implements Strategy {
    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return BatchStatusValidation.validateCronJobStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.batch.v1.CronJob.class, "batch", "v1", "CronJob", "cronjobs")
                .shortNames("cj")
                .subresources("status")
                .categories("all")
                .build(new CronJobStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.cronJob(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
        Prepare.template(object, null, "spec", "jobTemplate", "spec", "template");
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
        Prepare.template(object, old, "spec", "jobTemplate", "spec", "template");
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.cronJob(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.cronJob(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return BatchPrinters.CRON_JOB;
    }
}
