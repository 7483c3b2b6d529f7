package dev.capstan.api.request;

import java.util.List;

/**
 * The authenticated user of a request, as upstream's {@code user.Info}: name, uid and groups. Every
 * authenticated user also carries {@code system:authenticated}, as upstream adds it.
 */
public record UserInfo(String name, String uid, List<String> groups) {
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String MASTERS = "system:masters";

    public UserInfo {
        groups = List.copyOf(groups);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
