package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.table.BatchPrinters;
import dev.capstan.api.validation.BatchStatusValidation;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;

/** CronJobs (upstream pkg/registry/batch/cronjob); their status writes are not validated, as upstream's. */
public final class CronJobStrategy extends WorkloadStrategy {
    private CronJobStrategy() {
        super(
                Defaulting::cronJob,
                Validators::cronJob,
                new StatusRules(BatchStatusValidation::validateCronJobStatusUpdate),
                BatchPrinters.CRON_JOB);
    }

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.batch.v1.CronJob.class, "batch", "v1", "CronJob", "cronjobs")
                .shortNames("cj")
                .subresources("status")
                .categories("all")
                .build(new CronJobStrategy());
    }

    @Override
    protected void prepareTemplate(ObjectNode object, ObjectNode old) {
        Prepare.template(object, old, "spec", "jobTemplate", "spec", "template");
    }
}
