package dev.lifeboat.core.config;

import java.time.Duration;
import java.util.Set;

/** {@code confirm:}: how long a confirmation token lives, and who approves a destructive plan. */
final class ConfirmReader {
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /**
     * @param tokenTtl {@code confirm.token_ttl}, 5 minutes by default
     * @param approval {@code confirm.approval}, token by default
     */
    record Confirm(Duration tokenTtl, ApprovalMode approval) {
        static final Confirm DEFAULT = new Confirm(DEFAULT_TTL, ApprovalMode.TOKEN);
    }

    private ConfirmReader() {}

    static Confirm read(ConfigNode top) {
        ConfigNode node = top.section("confirm", "must be a mapping with 'token_ttl' and/or 'approval'");
        if (node == null) {
            return Confirm.DEFAULT;
        }
        node.allowOnly(Set.of("token_ttl", "approval"));
        Duration ttl = node.duration(
                "token_ttl",
                null,
                d -> !d.isZero() && d.toHours() <= 24,
                "is not a duration between 1s and 24h (e.g. 5m, 90s)");
        ApprovalMode approval = node.choice("approval", ApprovalMode.class, "must be 'token' or 'operator'");
        return new Confirm(ttl != null ? ttl : DEFAULT_TTL, approval != null ? approval : ApprovalMode.TOKEN);
    }
}
