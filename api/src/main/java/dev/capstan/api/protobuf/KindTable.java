package dev.capstan.api.protobuf;

import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The (apiVersion, kind) pairs whose protobuf bodies can be decoded, each with its generated message. Covers what
 * kubectl's typed clients send as protobuf (create, create token, auth can-i/whoami, autoscale, drain, certificate
 * approve) plus the workload kinds. The jar has Kubernetes 1.30 protos; groups it lacks (coordination, events.k8s.io,
 * discovery, apiextensions) are not decodable.
 */
final class KindTable {

    record Type(String apiVersion, String kind) {}

    private static final Map<Type, Message> TYPES = build();

    private KindTable() {}

    /**
     * The default instance of the message for this type, whose parser reads the object's bytes. DeleteOptions is
     * registered in every group version upstream (a typed client's DELETE body names its own, e.g. {@code v1}), so
     * it is read whatever apiVersion it names.
     */
    static Optional<Message> prototype(String apiVersion, String kind) {
        if (kind.equals("DeleteOptions")) {
            return Optional.of(Meta.DeleteOptions.getDefaultInstance());
        }
        return Optional.ofNullable(TYPES.get(new Type(apiVersion, kind)));
    }

    /** Every registered type, for tests. */
    static Map<Type, Message> all() {
        return TYPES;
    }

    private static Map<Type, Message> build() {
        Map<Type, Message> types = new HashMap<>();
        add(
                types,
                "v1",
                V1.ConfigMap.getDefaultInstance(),
                V1.Secret.getDefaultInstance(),
                V1.Namespace.getDefaultInstance(),
                V1.ServiceAccount.getDefaultInstance(),
                V1.Service.getDefaultInstance(),
                V1.Pod.getDefaultInstance(),
                V1.Binding.getDefaultInstance(),
                V1.Event.getDefaultInstance(),
                V1.Endpoints.getDefaultInstance(),
                V1.PersistentVolumeClaim.getDefaultInstance(),
                V1.PersistentVolume.getDefaultInstance(),
                V1.ReplicationController.getDefaultInstance(),
                V1.ResourceQuota.getDefaultInstance(),
                V1.LimitRange.getDefaultInstance(),
                V1.PodTemplate.getDefaultInstance(),
                V1.Node.getDefaultInstance());
        add(
                types,
                "apps/v1",
                V1Apps.Deployment.getDefaultInstance(),
                V1Apps.ReplicaSet.getDefaultInstance(),
                V1Apps.StatefulSet.getDefaultInstance(),
                V1Apps.DaemonSet.getDefaultInstance(),
                V1Apps.ControllerRevision.getDefaultInstance());
        add(types, "batch/v1", V1Batch.Job.getDefaultInstance(), V1Batch.CronJob.getDefaultInstance());
        add(
                types,
                "autoscaling/v1",
                V1Autoscaling.HorizontalPodAutoscaler.getDefaultInstance(),
                V1Autoscaling.Scale.getDefaultInstance());
        // The jar has no autoscaling/v2 protos; v2beta2's are identical on the wire (same messages, field numbers and
        // types in Kubernetes 1.30 to 1.32), so they read v2 bodies.
        add(types, "autoscaling/v2", V2beta2Autoscaling.HorizontalPodAutoscaler.getDefaultInstance());
        add(
                types,
                "rbac.authorization.k8s.io/v1",
                V1Rbac.Role.getDefaultInstance(),
                V1Rbac.RoleBinding.getDefaultInstance(),
                V1Rbac.ClusterRole.getDefaultInstance(),
                V1Rbac.ClusterRoleBinding.getDefaultInstance());
        add(
                types,
                "authorization.k8s.io/v1",
                V1Authorization.SelfSubjectAccessReview.getDefaultInstance(),
                V1Authorization.SelfSubjectRulesReview.getDefaultInstance(),
                V1Authorization.SubjectAccessReview.getDefaultInstance(),
                V1Authorization.LocalSubjectAccessReview.getDefaultInstance());
        add(
                types,
                "authentication.k8s.io/v1",
                V1Authentication.TokenRequest.getDefaultInstance(),
                V1Authentication.TokenReview.getDefaultInstance(),
                V1Authentication.SelfSubjectReview.getDefaultInstance());
        add(
                types,
                "policy/v1",
                V1Policy.PodDisruptionBudget.getDefaultInstance(),
                V1Policy.Eviction.getDefaultInstance());
        add(
                types,
                "networking.k8s.io/v1",
                V1Networking.Ingress.getDefaultInstance(),
                V1Networking.IngressClass.getDefaultInstance(),
                V1Networking.NetworkPolicy.getDefaultInstance());
        add(types, "scheduling.k8s.io/v1", V1Scheduling.PriorityClass.getDefaultInstance());
        add(types, "certificates.k8s.io/v1", V1Certificates.CertificateSigningRequest.getDefaultInstance());
        return Map.copyOf(types);
    }

    /** Kubernetes names each kind's message after the kind, so the kind comes from the descriptor. */
    private static void add(Map<Type, Message> types, String apiVersion, Message... prototypes) {
        for (Message prototype : prototypes) {
            types.put(new Type(apiVersion, prototype.getDescriptorForType().getName()), prototype);
        }
    }
}
