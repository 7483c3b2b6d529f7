package dev.capstan.netproxy.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Collection;

/**
 * What the policy table is a function of. {@code pods} are the whole cluster's: those on {@code nodeName} are
 * guarded here, all of them can be peers.
 */
public record PolicyInputs(
        String nodeName, Collection<NetworkPolicy> policies, Collection<Pod> pods, Collection<Namespace> namespaces) {}
