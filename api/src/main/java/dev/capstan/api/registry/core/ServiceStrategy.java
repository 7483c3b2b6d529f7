package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.registry.WriteHook;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.ServiceStatusValidation;
import dev.capstan.api.validation.Validators;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Services (upstream pkg/registry/core/service/strategy.go and its REST storage): cluster IPs and node ports are
 * claimed before the Service is stored and released when it goes, on every delete path.
 */
public final class ServiceStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS =
            Strategies.jsonPathFields("spec.clusterIP", "spec.type");

    private final ServiceAllocator allocator;
    private final StatusStrategy status = new StatusRules(
            ServiceStatusValidation::prepareForStatusUpdate, ServiceStatusValidation::validateServiceStatusUpdate);

    public ServiceStrategy(ServiceAllocator allocator) {
        this.allocator = allocator;
    }

    public static ResourceType resource(ServiceAllocator allocator) {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Service.class, "", "v1", "Service", "services")
                .shortNames("svc")
                .subresources("status")
                .categories("all")
                .build(new ServiceStrategy(allocator));
    }

    @Override
    public void applyDefaults(ObjectNode svc) {
        Defaulting.service(svc);
        ServiceStatusValidation.defaultServiceStatus(svc);
    }

    @Override
    public void prepareForCreate(ObjectNode svc) {
        Strategies.resetStatus(svc);
        svc.withObjectProperty("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode svc, ObjectNode old) {
        Strategies.keepStatus(svc, old);
    }

    @Override
    public List<Cause> validate(ObjectNode svc) {
        return Validators.service(svc, null, allocator.minPort(), allocator.maxPort());
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode svc, ObjectNode old) {
        return Validators.service(svc, old, allocator.minPort(), allocator.maxPort());
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public WriteHook beginCreate(ObjectNode svc, boolean dryRun) {
        ServiceAllocator.Claims claims = allocator.allocate(svc, dryRun);
        return stored -> {
            if (!stored) {
                claims.releaseAll();
            }
        };
    }

    @Override
    public WriteHook beginUpdate(ObjectNode svc, ObjectNode old, boolean dryRun) {
        ServiceAllocator.UpdateClaims claims = allocator.update(svc, old, dryRun);
        return stored -> {
            if (stored) {
                allocator.releaseKeys(claims.freedOnSuccess());
            } else {
                claims.claims().releaseAll();
            }
        };
    }

    @Override
    public void afterDelete(ObjectNode svc) {
        allocator.release(svc);
    }

    @Override
    public KindTable table() {
        return CorePrinters.SERVICE;
    }
}
