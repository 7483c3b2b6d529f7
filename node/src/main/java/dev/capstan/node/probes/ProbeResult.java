package dev.capstan.node.probes;

/** A probe's result (upstream results.Result). */
public enum ProbeResult {
    SUCCESS,
    FAILURE,
    UNKNOWN
}
