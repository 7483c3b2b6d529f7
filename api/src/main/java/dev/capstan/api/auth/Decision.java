package dev.capstan.api.auth;

/** An authorizer's answer (upstream's authorizer.Decision), with the reason it gives. */
public record Decision(Verdict verdict, String reason) {
    public enum Verdict {
        ALLOW,
        DENY,
        NO_OPINION
    }

    public static Decision allow() {
        return new Decision(Verdict.ALLOW, "");
    }

    public static Decision deny(String reason) {
        return new Decision(Verdict.DENY, reason);
    }

    public static Decision noOpinion() {
        return new Decision(Verdict.NO_OPINION, "");
    }
}
