package dev.capstan.api.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.RequestContext;

/**
 * What an admission plugin sees of one write (upstream's admission.Attributes).
 *
 * @param object the object as it would be stored; null for a delete. Mutating plugins may change it.
 * @param oldObject the stored object for updates and deletes, null for creates
 * @param subresource "" for the main resource
 */
public record AdmissionRequest(
        RequestContext context,
        Operation operation,
        ResourceType type,
        String subresource,
        String namespace,
        String name,
        ObjectNode object,
        ObjectNode oldObject) {

    public boolean dryRun() {
        return context.dryRun();
    }
}
