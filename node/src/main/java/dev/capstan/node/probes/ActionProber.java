package dev.capstan.node.probes;

import dev.capstan.model.pod.EnvExpansion;
import dev.capstan.node.probes.health.v1.HealthCheckRequest;
import dev.capstan.node.probes.health.v1.HealthCheckResponse;
import dev.capstan.node.probes.health.v1.HealthGrpc;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ExecResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The probe actions as upstream's pkg/probe runs them: exec through CRI ExecSync (exit 0 is success); httpGet to the pod
 * IP with kube-probe's User-Agent, no proxy, no keep-alive and no TLS verification, 200–399 a success, redirects followed
 * on the same host only; tcpSocket a connect; grpc the grpc.health.v1 Check, SERVING a success. Outputs are capped at 10
 * KiB, as upstream reads at most that much.
 */
public final class ActionProber implements Prober {
    static final String USER_AGENT = "kube-probe/1.32";
    private static final int MAX_OUTPUT = 10 * 1024;
    private static final int MAX_REDIRECTS = 10;

    private final ContainerRuntime runtime;

    public ActionProber(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Outcome probe(Target target, Probe spec, Duration timeout) {
        if (spec.getExec() != null) {
            return exec(target, spec.getExec().getCommand(), timeout);
        }
        if (spec.getHttpGet() != null) {
            var get = spec.getHttpGet();
            String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase(Locale.ROOT);
            String host = empty(get.getHost()) ? target.podIp() : get.getHost();
            int port = resolvePort(get.getPort(), target.container());
            String path = get.getPath() == null ? "" : get.getPath();
            String url =
                    scheme + "://" + hostPort(host, port) + (path.isEmpty() || path.startsWith("/") ? "" : "/") + path;
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                return Outcome.failure("parse \"" + url + "\": " + e.getMessage()); // upstream: a failure, not an error
            }
            return http(uri, get.getHttpHeaders() == null ? List.of() : get.getHttpHeaders(), timeout);
        }
        if (spec.getTcpSocket() != null) {
            var tcp = spec.getTcpSocket();
            String host = empty(tcp.getHost()) ? target.podIp() : tcp.getHost();
            return tcp(host, resolvePort(tcp.getPort(), target.container()), timeout);
        }
        if (spec.getGrpc() != null) {
            var grpc = spec.getGrpc();
            return grpc(target.podIp(), grpc.getPort(), grpc.getService() == null ? "" : grpc.getService(), timeout);
        }
        throw new ProbeException(
                "missing probe handler for " + target.pod().getMetadata().getName() + "_"
                        + target.pod().getMetadata().getNamespace() + "("
                        + target.pod().getMetadata().getUid() + "):"
                        + target.container().getName());
    }

    /** The command with {@code $(VAR)} of the container's literal env values (upstream ExpandContainerCommandOnlyStatic). */
    private Outcome exec(Target target, List<String> command, Duration timeout) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : target.container().getEnv() == null
                ? List.<EnvVar>of()
                : target.container().getEnv()) {
            if (e.getValueFrom() == null && e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            }
        }
        List<String> expanded = new ArrayList<>();
        command.forEach(arg -> expanded.add(EnvExpansion.expand(arg, env)));
        ExecResult result;
        try {
            result = runtime.execSync(target.containerId(), expanded, timeout);
        } catch (ContainerRuntimeException e) {
            if (e.reason() == ContainerRuntimeException.Reason.DEADLINE_EXCEEDED || timedOut(e.getMessage())) {
                return Outcome.failure(""); // upstream: a timed-out exec probe fails, with no output
            }
            throw new ProbeException(e.getMessage(), e);
        }
        String output = cap(result.stdoutText() + result.stderrText());
        return result.exitCode() == 0 ? Outcome.success(output) : Outcome.failure(output);
    }

    private static boolean timedOut(String message) {
        return message != null && message.contains("timeout") && message.contains("exceeded");
    }

    private Outcome http(URI uri, List<HTTPHeader> headers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = uri;
        for (int hops = 0; ; hops++) {
            HttpURLConnection conn = null;
            try {
                conn = (HttpURLConnection) current.toURL().openConnection(Proxy.NO_PROXY);
                if (conn instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(INSECURE.getSocketFactory());
                    https.setHostnameVerifier((name, session) -> true);
                }
                int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                conn.setConnectTimeout(left);
                conn.setReadTimeout(left);
                conn.setInstanceFollowRedirects(false);
                conn.setUseCaches(false);
                boolean agent = false;
                boolean accept = false;
                for (HTTPHeader h : headers) {
                    agent |= h.getName().equalsIgnoreCase("User-Agent");
                    accept |= h.getName().equalsIgnoreCase("Accept");
                    if (!h.getName().equalsIgnoreCase("Accept") || !empty(h.getValue())) {
                        conn.addRequestProperty(h.getName(), h.getValue());
                    }
                }
                if (!agent) {
                    conn.setRequestProperty("User-Agent", USER_AGENT);
                }
                if (!accept) {
                    conn.setRequestProperty("Accept", "*/*");
                }
                conn.setRequestProperty("Connection", "close");
                int code = conn.getResponseCode();
                String body = readCapped(code >= 400 ? conn.getErrorStream() : conn.getInputStream());
                String location = conn.getHeaderField("Location");
                if (code >= 300 && code < 400 && location != null && hops < MAX_REDIRECTS) {
                    URI next = current.resolve(location);
                    if (next.getHost() != null && next.getHost().equals(uri.getHost())) {
                        current = next;
                        continue;
                    }
                }
                if (code >= 200 && code < 400) {
                    return code >= 300
                            ? new Outcome(
                                    ProbeResult.SUCCESS, "Probe terminated redirects, Response body: " + body, true)
                            : Outcome.success(body);
                }
                // As upstream: the message never carries the response body (kubernetes issue 99425).
                return Outcome.failure("HTTP probe failed with statuscode: " + code);
            } catch (SocketTimeoutException e) {
                String why = "Read timed out".equals(e.getMessage())
                        ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                        : describe(e, hostPort(current));
                return Outcome.failure("Get \"" + current + "\": " + why);
            } catch (IOException | IllegalArgumentException e) {
                return Outcome.failure("Get \"" + current + "\": " + describe(e, hostPort(current)));
            } finally {
                if (conn != null) {
                    conn.disconnect();
                }
            }
        }
    }

    private static Outcome tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Outcome.success("");
        } catch (IOException e) {
            return Outcome.failure(describe(e, hostPort(host, port)));
        }
    }

    private static Outcome grpc(String host, int port, String service, Duration timeout) {
        String addr = hostPort(host, port);
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .userAgent(USER_AGENT)
                .build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build());
            if (response.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
                return Outcome.failure("service unhealthy (responded with \"" + response.getStatus() + "\")");
            }
            return Outcome.success("service healthy");
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            return Outcome.failure(
                    switch (status.getCode()) {
                        case UNIMPLEMENTED ->
                            "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): "
                                    + status.getDescription();
                        case DEADLINE_EXCEEDED ->
                            "timeout: health rpc did not complete within " + timeout.toSeconds() + "s";
                        case UNAVAILABLE -> "error: failed to connect service at \"" + addr + "\": " + status;
                        default -> "error: health rpc probe failed: " + status;
                    });
        } finally {
            channel.shutdownNow();
        }
    }

    /** A port number, or the containerPort of the container's port of that name (upstream ResolveContainerPort). */
    static int resolvePort(IntOrString port, Container c) {
        if (port == null) {
            throw new ProbeException("intOrString had no kind: {}");
        }
        int value = -1;
        if (port.getStrVal() != null) {
            String name = port.getStrVal();
            value = (c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts())
                    .stream()
                            .filter(p -> name.equals(p.getName()))
                            .findFirst()
                            .map(ContainerPort::getContainerPort)
                            .orElseThrow(() -> new ProbeException("port \"" + name + "\" not found"));
        } else if (port.getIntVal() != null) {
            value = port.getIntVal();
        }
        if (value <= 0 || value >= 65536) {
            throw new ProbeException("invalid port number: " + value);
        }
        return value;
    }

    /** Go's dial errors, which upstream's messages carry: "dial tcp 10.0.0.5:80: connect: connection refused". */
    private static String describe(Exception e, String addr) {
        if (e instanceof ConnectException) {
            return "dial tcp " + addr + ": connect: connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "dial tcp " + addr + ": connect: no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "dial tcp " + addr + ": i/o timeout";
        }
        return String.valueOf(e.getMessage());
    }

    private static String readCapped(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }

    private static String cap(String output) {
        return output.length() <= MAX_OUTPUT ? output : output.substring(0, MAX_OUTPUT);
    }

    private static String hostPort(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String host =
                uri.getHost() == null ? "" : uri.getHost().replace("[", "").replace("]", "");
        return hostPort(host, port);
    }

    /** Go's net.JoinHostPort: IPv6 addresses in brackets. */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Probes do not verify certificates (upstream InsecureSkipVerify): health endpoints use self-signed ones. */
    private static final SSLContext INSECURE = insecure();

    private static SSLContext insecure() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for HTTPS probes: " + e.getMessage(), e);
        }
    }
}
