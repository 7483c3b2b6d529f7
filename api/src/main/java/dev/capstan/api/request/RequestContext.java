package dev.capstan.api.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * One request as it flows through the pipeline (authentication → authorization → admission → the kind's strategy →
 * storage), for REST and gRPC alike: who sent it, what it asks for, its write options, and the warnings it
 * collects on the way (answered as {@code Warning} headers over REST).
 */
public final class RequestContext {
    private final String requestId;
    private final UserInfo user;
    private final RequestInfo info;
    private final WriteOptions options;
    private final List<String> warnings;

    public RequestContext(String requestId, UserInfo user, RequestInfo info, WriteOptions options) {
        this(requestId, user, info, options, Collections.synchronizedList(new ArrayList<>()));
    }

    private RequestContext(
            String requestId, UserInfo user, RequestInfo info, WriteOptions options, List<String> warnings) {
        this.requestId = requestId;
        this.user = user;
        this.info = info;
        this.options = options;
        this.warnings = warnings;
    }

    /** A context for work the server does on its own behalf (default namespaces, namespace cleanup). */
    public static RequestContext internal(UserInfo user, RequestInfo info) {
        return new RequestContext(UUID.randomUUID().toString(), user, info, WriteOptions.DEFAULT);
    }

    /** The same request with other write options; warnings still go to this request's list. */
    public RequestContext withOptions(WriteOptions newOptions) {
        return new RequestContext(requestId, user, info, newOptions, warnings);
    }

    public String requestId() {
        return requestId;
    }

    public UserInfo user() {
        return user;
    }

    public RequestInfo info() {
        return info;
    }

    public WriteOptions options() {
        return options;
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    public FieldValidation fieldValidation() {
        return options.fieldValidation();
    }

    /** A warning for the client; one already given is not repeated (a retried write raises its warnings again). */
    public void warn(String message) {
        synchronized (warnings) {
            if (!warnings.contains(message)) {
                warnings.add(message);
            }
        }
    }

    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }
}
