package dev.capstan.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Where the API server answers and how to trust and authenticate to it; its PIDs when known. */
record ApiTarget(URI base, Path caCert, String token, OptionalLong pid, OptionalLong postmaster) {

    /** The server './capstan up' started: .capstan/data for the CA and token, .capstan/run for the PID. */
    static ApiTarget capstanUp(Path state, int port) throws IOException {
        Path data = state.resolve("data");
        Path pidFile = state.resolve("run").resolve("apiserver.pid");
        if (!Files.isRegularFile(pidFile)) {
            throw new IOException("no " + pidFile + ": start the API server with ./capstan up first");
        }
        long pid =
                Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        String token = Files.readString(data.resolve("admin-token"), StandardCharsets.UTF_8)
                .trim();
        return new ApiTarget(
                URI.create("https://127.0.0.1:" + port),
                data.resolve("pki").resolve("ca.crt"),
                token,
                OptionalLong.of(pid),
                ApiServerProcess.postmasterPid(data.resolve("postgres")));
    }
}
