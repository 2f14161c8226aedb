package dev.lifeboat.mcp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks bearer tokens against the configured SHA-256 hashes. Tokens are long random strings, so a
 * plain SHA-256 is enough (no password stretching); comparison is constant-time and always walks
 * every entry so timing does not tell which hash was close.
 */
public final class TokenAuthenticator {
    private final List<TokenEntry> entries;

    public TokenAuthenticator(List<TokenEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public boolean enabled() {
        return !entries.isEmpty();
    }

    public Optional<TokenEntry> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        byte[] presented = HexFormat.of().parseHex(sha256(token));
        TokenEntry match = null;
        for (TokenEntry e : entries) {
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(e.sha256()))) {
                match = e;
            }
        }
        return Optional.ofNullable(match);
    }

    public static String sha256(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A new random token: 32 bytes, URL-safe base64, prefixed so it is recognisable in a leak scan. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "lbt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
