package dev.capstan.api.auth;

import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;

/**
 * Decides whether a user may make a request (upstream's authorizer.Authorizer): allow, deny, or no opinion, which
 * leaves the decision to the next authorizer of the chain. RBAC will be one.
 */
public interface Authorizer {
    Decision authorize(UserInfo user, RequestInfo request);
}
