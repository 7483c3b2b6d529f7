package dev.capstan.node.runtime;

/** One environment variable, already resolved (kubelet expands {@code $(VAR)} and valueFrom itself). */
public record EnvVar(String name, String value) {}
