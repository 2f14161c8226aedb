package dev.lifeboat.core.confirm;

import java.time.Instant;

/**
 * What a destructive plan needs before it runs.
 *
 * @param planId the plan's id (what an operator approves with {@code lifeboat approve})
 * @param token the single-use token to pass back with the execute call
 * @param expiresAt when the token stops working
 * @param operatorApproval whether a person must also run {@code lifeboat approve <planId>}
 */
public record Confirmation(String planId, String token, Instant expiresAt, boolean operatorApproval) {}
