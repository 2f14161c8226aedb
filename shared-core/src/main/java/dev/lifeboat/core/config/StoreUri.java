package dev.lifeboat.core.config;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A store location: {@code file:///var/backups/lifeboat}, {@code s3://bucket/prefix?region=eu-west-1},
 * {@code gs://bucket/prefix}. Credentials never belong in it; one that carries user info is refused.
 * It is the parsed value of a store's {@code uri} setting, so it lives with the config; the store
 * adapters read it.
 *
 * @param scheme "file", "s3" or "gs"
 * @param authority the bucket (empty for file)
 * @param path the path (file) or key prefix (object stores), without leading or trailing '/' for prefixes
 * @param options the query parameters
 */
public record StoreUri(String scheme, String authority, String path, Map<String, String> options) {

    public StoreUri {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static StoreUri parse(String text, String setting) {
        if (text == null || text.isBlank()) {
            throw bad(setting, "is empty", text);
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad(setting, "is not a valid URI (" + e.getReason() + ")", text);
        }
        if (uri.getScheme() == null) {
            throw bad(setting, "has no scheme", text);
        }
        if (uri.getRawUserInfo() != null) {
            throw bad(setting, "carries credentials; give them through the environment instead", text);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                options.put(k, v);
            }
        }
        switch (scheme) {
            case "file" -> {
                if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
                    throw bad(setting, "must be file:///absolute/path (three slashes)", text);
                }
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw bad(setting, "must name an absolute path, file:///absolute/path", text);
                }
                String path = uri.getPath().length() > 1 ? uri.getPath().replaceAll("/+$", "") : uri.getPath();
                return new StoreUri(scheme, "", path, options);
            }
            case "s3", "gs" -> {
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw bad(setting, "must name a bucket, " + scheme + "://bucket/prefix", text);
                }
                String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
                return new StoreUri(scheme, uri.getHost(), prefix, options);
            }
            default -> throw bad(setting, "has an unknown scheme '" + scheme + "' (use file, s3 or gs)", text);
        }
    }

    private static LifeboatException bad(String setting, String why, String text) {
        return new LifeboatException(
                ErrorCode.CONFIG_INVALID,
                setting + ": store URI '" + text + "' " + why,
                "examples: file:///var/backups/lifeboat, s3://bucket/prefix?region=eu-west-1, gs://bucket/prefix");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme).append("://").append(authority);
        if (!path.isEmpty()) {
            sb.append(path.startsWith("/") ? "" : "/").append(path);
        }
        if (!options.isEmpty()) {
            sb.append('?');
            options.forEach((k, v) -> sb.append(k).append('=').append(v).append('&'));
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}
