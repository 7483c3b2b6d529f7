package dev.capstan.api.auth;

import dev.capstan.api.request.UserInfo;
import java.util.Optional;

/**
 * Turns credentials into a user (upstream's authenticator.Request). Answers empty when the credentials are not
 * of its kind or not valid, so that the next authenticator of the chain may try.
 */
public interface Authenticator {
    Optional<UserInfo> authenticate(Credentials credentials);
}
