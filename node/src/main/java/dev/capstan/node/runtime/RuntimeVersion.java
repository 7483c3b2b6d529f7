package dev.capstan.node.runtime;

/** The runtime's name and version and the CRI version it speaks (e.g. containerd, 1.6.20, v1). */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String runtimeApiVersion) {}
