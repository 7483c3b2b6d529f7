package dev.capstan.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.TestRegistry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each built-in kind's strategy against upstream 1.32's registry facts (pkg/registry/&lt;group&gt;/&lt;kind&gt;/
 * strategy.go and storage.go): scope, create-on-update, unconditional updates, what a delete answers, the default
 * garbage collection policy, whether a create sets generation, and the subresources.
 */
class StrategyFactsTest {
    private static final ResourceRegistry REGISTRY = TestRegistry.builtIn();

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(
            delimiter = ';',
            value = {
                // group; plural; namespaced; createOnUpdate; unconditional; returnsDeleted; gc; generation;
                // subresources
                ";pods;true;false;true;true;DELETE_DEPENDENTS;false;status binding eviction log exec attach portforward",
                ";services;true;true;true;true;DELETE_DEPENDENTS;false;status",
                ";namespaces;false;false;true;true;DELETE_DEPENDENTS;false;status finalize",
                ";nodes;false;false;true;false;DELETE_DEPENDENTS;false;status",
                ";configmaps;true;false;true;false;DELETE_DEPENDENTS;false;",
                ";secrets;true;false;true;false;DELETE_DEPENDENTS;false;",
                ";serviceaccounts;true;false;true;true;DELETE_DEPENDENTS;false;",
                ";endpoints;true;true;true;false;DELETE_DEPENDENTS;false;",
                ";events;true;true;true;false;UNSUPPORTED;false;",
                ";limitranges;true;true;true;false;DELETE_DEPENDENTS;false;",
                ";resourcequotas;true;false;true;true;DELETE_DEPENDENTS;false;status",
                ";persistentvolumes;false;false;true;true;DELETE_DEPENDENTS;false;status",
                ";persistentvolumeclaims;true;false;true;true;DELETE_DEPENDENTS;false;status",
                "apps;deployments;true;false;true;false;DELETE_DEPENDENTS;true;status scale",
                "apps;replicasets;true;false;true;false;DELETE_DEPENDENTS;true;status scale",
                "apps;statefulsets;true;false;true;false;DELETE_DEPENDENTS;true;status scale",
                "apps;daemonsets;true;false;true;false;DELETE_DEPENDENTS;true;status",
                "apps;controllerrevisions;true;false;true;false;DELETE_DEPENDENTS;false;",
                "batch;jobs;true;false;true;false;ORPHAN_DEPENDENTS;true;status",
                "batch;cronjobs;true;false;true;false;DELETE_DEPENDENTS;true;status",
                "autoscaling;horizontalpodautoscalers;true;false;true;false;DELETE_DEPENDENTS;false;status",
                "coordination.k8s.io;leases;true;true;false;false;DELETE_DEPENDENTS;false;",
                "discovery.k8s.io;endpointslices;true;false;true;false;DELETE_DEPENDENTS;true;",
                "networking.k8s.io;networkpolicies;true;false;true;false;DELETE_DEPENDENTS;true;",
                "networking.k8s.io;ingresses;true;false;true;false;DELETE_DEPENDENTS;true;status",
                "rbac.authorization.k8s.io;roles;true;true;true;false;DELETE_DEPENDENTS;false;",
                "rbac.authorization.k8s.io;rolebindings;true;true;true;false;DELETE_DEPENDENTS;false;",
                "rbac.authorization.k8s.io;clusterroles;false;true;true;false;DELETE_DEPENDENTS;false;",
                "rbac.authorization.k8s.io;clusterrolebindings;false;true;true;false;DELETE_DEPENDENTS;false;",
                "events.k8s.io;events;true;true;true;false;UNSUPPORTED;false;",
                "scheduling.k8s.io;priorityclasses;false;false;true;false;DELETE_DEPENDENTS;true;",
                "storage.k8s.io;storageclasses;false;false;true;true;DELETE_DEPENDENTS;false;",
            })
    void strategyMatchesUpstream(
            String group,
            String plural,
            boolean namespaced,
            boolean createOnUpdate,
            boolean unconditional,
            boolean returnsDeleted,
            GcPolicy gc,
            boolean generation,
            String subresources) {
        String g = group == null ? "" : group;
        ResourceType type = REGISTRY.all().stream()
                .filter(t -> t.group().equals(g) && t.plural().equals(plural) && t.isStorageVersion())
                .findFirst()
                .orElseThrow();
        Strategy strategy = type.strategy();

        assertThat(type.namespaced()).as("namespaced").isEqualTo(namespaced);
        assertThat(strategy.allowCreateOnUpdate()).as("AllowCreateOnUpdate").isEqualTo(createOnUpdate);
        assertThat(strategy.allowUnconditionalUpdate())
                .as("AllowUnconditionalUpdate")
                .isEqualTo(unconditional);
        assertThat(strategy.returnsDeletedObject()).as("ReturnDeletedObject").isEqualTo(returnsDeleted);
        assertThat(strategy.gcPolicy()).as("DefaultGarbageCollectionPolicy").isEqualTo(gc);
        Set<String> expected = subresources == null ? Set.of() : new HashSet<>(Arrays.asList(subresources.split(" ")));
        assertThat(type.subresources()).as("subresources").isEqualTo(expected);
        assertThat(strategy.status() != null).as("status strategy").isEqualTo(expected.contains("status"));

        ObjectNode object = Json.object();
        object.putObject("metadata").put("name", "x").put("uid", "u1");
        object.putObject("spec");
        strategy.prepareForCreate(object);
        assertThat(object.at("/metadata/generation").asInt(0))
                .as("generation after create")
                .isEqualTo(generation ? 1 : 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"apps/v1/deployments", "batch/v1/jobs", "networking.k8s.io/v1/ingresses", "/v1/services"})
    void statusStrategiesKeepTheStoredSpec(String resource) {
        List<String> parts = Arrays.asList(resource.split("/"));
        ResourceType type =
                REGISTRY.find(parts.get(0), parts.get(1), parts.get(2)).orElseThrow();
        ObjectNode old = Json.object();
        old.putObject("metadata").put("name", "x");
        old.putObject("spec").put("stored", true);
        ObjectNode written = old.deepCopy();
        written.putObject("spec").put("stored", false);
        written.putObject("status").put("new", true);

        type.strategy().status().prepareForUpdate(written, old);

        assertThat(written.at("/spec/stored").asBoolean()).isTrue();
        assertThat(written.at("/status/new").asBoolean()).isTrue();
    }
}
