package dev.lifeboat.core.notify;

import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.config.NotifyTarget;
import java.util.List;
import java.util.Map;

/**
 * What people read: one sentence per event, and the body each chat service's incoming webhook
 * accepts (Slack {@code text}, Discord {@code content}, a Teams Adaptive Card), and a mail's subject
 * and text. Every string goes through the redactor before it leaves ({@link Notifications}).
 */
final class Messages {
    /** Discord refuses a message longer than 2,000 characters; the others allow more. */
    private static final int CHAT_LIMIT = 1_900;

    private Messages() {}

    /** The event in one sentence: what happened to which source, where, and what to know about it. */
    static String sentence(BackupEvent e) {
        String what = e.kind() + " " + e.source();
        String on = e.host() == null ? "" : " on " + e.host();
        return switch (e.event()) {
            case "failure" ->
                "Backup of " + what + " FAILED" + on + ": " + e.error().code() + ": "
                        + e.error().message();
            case "recovery" -> "Backup of " + what + " works again" + on + " (the previous attempt failed): " + done(e);
            case "success" -> "Backup of " + what + " succeeded" + on + ": " + done(e);
            case "objective_missed" ->
                capitalized(what) + " is " + e.state() + ": "
                        + String.join("; ", e.problems() == null ? List.of() : e.problems());
            default -> e.event() + " for " + what + on;
        };
    }

    private static String done(BackupEvent e) {
        String s = e.backupId() + " in store " + e.store();
        if (e.sizeBytes() != null && e.durationMillis() != null) {
            s += " (" + ByteSizes.human(e.sizeBytes()) + " in "
                    + String.format(java.util.Locale.ROOT, "%.1f s", e.durationMillis() / 1000.0) + ")";
        }
        return s + ".";
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A mail's subject: short enough for a phone's notification, the outcome first. */
    static String subject(BackupEvent e) {
        String what = switch (e.event()) {
            case "failure" -> "FAILED: backup of " + e.source();
            case "recovery" -> "RECOVERED: backup of " + e.source();
            case "success" -> "OK: backup of " + e.source();
            case "objective_missed" -> e.state() + ": " + e.source() + " misses its objective";
            default -> e.event() + ": " + e.source();
        };
        return "[lifeboat] " + what + (e.host() == null ? "" : " on " + e.host());
    }

    /** A mail's text: the sentence, then the facts one per line, then what to run. */
    static String mailText(BackupEvent e) {
        StringBuilder b = new StringBuilder(sentence(e)).append("\n\n");
        line(b, "event", e.event());
        line(b, e.kind(), e.source());
        line(b, "time", e.time() == null ? null : e.time().toString());
        line(b, "backup", e.backupId());
        line(b, "store", e.store());
        line(b, "size", e.sizeBytes() == null ? null : ByteSizes.human(e.sizeBytes()));
        line(
                b,
                "error",
                e.error() == null ? null : e.error().code() + ": " + e.error().message());
        line(b, "state", e.state());
        if (e.problems() != null) {
            e.problems().forEach(p -> line(b, "problem", p));
        }
        line(b, "host", e.host());
        line(b, "lifeboat", e.lifeboatVersion());
        b.append("\nRun 'lifeboat status' on the host for every source's state and the next step.\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        if (value != null) {
            b.append(key).append(": ").append(value).append('\n');
        }
    }

    /** The JSON body a chat service's incoming webhook accepts, carrying {@code text}. */
    static Map<String, Object> chatBody(NotifyTarget.Kind kind, String text) {
        String t = text.length() > CHAT_LIMIT ? text.substring(0, CHAT_LIMIT) + "…" : text;
        return switch (kind) {
            // Slack reads <...> as links and mentions: its own escapes keep the text as written
            case SLACK ->
                Map.of("text", t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
            case DISCORD ->
                Map.of("content", t, "username", "Lifeboat", "allowed_mentions", Map.of("parse", List.of()));
            case TEAMS ->
                Map.of(
                        "type",
                        "message",
                        "attachments",
                        List.of(Map.of(
                                "contentType",
                                "application/vnd.microsoft.card.adaptive",
                                "content",
                                Map.of(
                                        "$schema",
                                        "http://adaptivecards.io/schemas/adaptive-card.json",
                                        "type",
                                        "AdaptiveCard",
                                        "version",
                                        "1.4",
                                        "body",
                                        List.of(Map.of("type", "TextBlock", "text", t, "wrap", true))))));
            default -> throw new IllegalArgumentException(kind + " is no chat service");
        };
    }
}
