package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Prepare;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The shape the strategies of the pod-template workloads share (Deployments, ReplicaSets, StatefulSets,
 * DaemonSets, Jobs, CronJobs): status only through its subresource, {@code generation} 1 on create and one more
 * on every change of the spec. Each kind's strategy extends it with its own rules.
 */
public abstract class WorkloadStrategy implements Strategy {
    private final Consumer<ObjectNode> defaults;
    private final BiFunction<ObjectNode, ObjectNode, List<Cause>> validation;
    private final StatusStrategy status;
    private final KindTable table;

    /**
     * @param validation the kind's validation of a create ({@code old} null) or an update
     * @param status the kind's status strategy, a {@link StatusRules} of its ValidateXxxStatusUpdate for most
     */
    protected WorkloadStrategy(
            Consumer<ObjectNode> defaults,
            BiFunction<ObjectNode, ObjectNode, List<Cause>> validation,
            StatusStrategy status,
            KindTable table) {
        this.defaults = defaults;
        this.validation = validation;
        this.status = status;
        this.table = table;
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        defaults.accept(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
        prepareTemplate(object, null);
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
        prepareTemplate(object, old);
        ObjectMetaRules.setGeneration(object, old, generationChanged(object, old));
    }

    /** Whether an update counts as a new generation: a change of the spec, for most kinds. */
    protected boolean generationChanged(ObjectNode object, ObjectNode old) {
        return ObjectMetaRules.specChanged(old, object);
    }

    /**
     * Drops from the pod template the fields of features off in 1.32 (upstream's DropDisabledTemplateFields), keeping
     * those {@code old} (null on create) already used; kinds whose template sits elsewhere override it.
     */
    protected void prepareTemplate(ObjectNode object, ObjectNode old) {
        Prepare.template(object, old, "spec", "template");
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return validation.apply(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return validation.apply(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return table;
    }
}
