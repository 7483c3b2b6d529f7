package dev.capstan.api.auth;

import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;

/** Allows every authenticated user everything: the policy until RBAC exists. */
public final class AuthenticatedAuthorizer implements Authorizer {
    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        return user.inGroup(UserInfo.AUTHENTICATED) ? Decision.allow() : Decision.noOpinion();
    }
}
