package dev.capstan.api.auth;

import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import java.util.List;

/**
 * Asks each authorizer in turn until one allows or denies (upstream's union authorizer); when none has an opinion
 * the request is forbidden. The 403 names what was asked for exactly as upstream words it.
 */
public final class AuthorizerChain {
    private final List<Authorizer> authorizers;

    public AuthorizerChain(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    /** Returns when the request is allowed; throws a 403 Forbidden Status otherwise. */
    public void authorize(UserInfo user, RequestInfo request) {
        String reason = "";
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorizer.authorize(user, request);
            switch (decision.verdict()) {
                case ALLOW -> {
                    return;
                }
                case DENY -> throw forbidden(user, request, decision.reason());
                case NO_OPINION -> reason = decision.reason().isEmpty() ? reason : decision.reason();
            }
        }
        throw forbidden(user, request, reason);
    }

    /** Upstream's responsewriters.forbiddenMessage. */
    static ApiException forbidden(UserInfo user, RequestInfo request, String reason) {
        String message;
        var details = Json.object();
        if (!request.resourceRequest()) {
            message = "User \"" + user.name() + "\" cannot " + request.verb() + " path \"" + request.path() + "\"";
        } else {
            String resource = request.subresource().isEmpty()
                    ? request.resource()
                    : request.resource() + "/" + request.subresource();
            String subject =
                    request.name() == null ? request.resource() : request.resource() + " \"" + request.name() + "\"";
            if (!request.group().isEmpty()) {
                subject = request.name() == null
                        ? request.resource() + "." + request.group()
                        : request.resource() + "." + request.group() + " \"" + request.name() + "\"";
            }
            String scope = request.namespace() == null
                    ? "at the cluster scope"
                    : "in the namespace \"" + request.namespace() + "\"";
            message = subject + " is forbidden: User \"" + user.name() + "\" cannot " + request.verb() + " resource \""
                    + resource + "\" in API group \"" + request.group() + "\" " + scope;
            if (request.name() != null) {
                details.put("name", request.name());
            }
            if (!request.group().isEmpty()) {
                details.put("group", request.group());
            }
            details.put("kind", request.resource());
        }
        if (!reason.isEmpty()) {
            message += ": " + reason;
        }
        if (!request.resourceRequest()) {
            message = "forbidden: " + message;
        }
        return new ApiException(403, "Forbidden", message, details.isEmpty() ? null : details);
    }
}
