package dev.capstan.scheduler.framework;

/** A container port bound on the host: hostIP ("" for all), protocol ("" for TCP) and hostPort (> 0). */
public record HostPort(String hostIp, String protocol, int port) {}
