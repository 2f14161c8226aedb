package dev.lifeboat.core.notify;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.HmacSha256;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.config.NotifyTarget;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.notify.mail.SmtpMail;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the configured targets about one backup: pings {@code /start} before it, then each target
 * the event it asked for. Runs around the backup, on its thread, after its outcome is final: a
 * notification can delay the command by its timeouts and retries, never change its result.
 */
public final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    /** The header carrying {@code sha256=<hex HMAC-SHA256 of the body>} when a webhook has a secret. */
    public static final String SIGNATURE_HEADER = "X-Lifeboat-Signature";

    private final LifeboatContext ctx;

    public Notifications(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs the backup {@code run} of {@code source} (null: the default database) with notifications
     * around it, and returns or throws exactly what it did.
     */
    public BackupRecord around(String source, OperationContext context, Supplier<BackupRecord> run) {
        List<NotifyTarget> targets = ctx.config().notifyTargets();
        if (targets.isEmpty()) {
            return run.get();
        }
        String name =
                source != null && !source.isBlank() ? source : ctx.config().defaultDatabase();
        String kind = ctx.config().directories().containsKey(name) ? "directory" : "database";
        boolean failedBefore = lastAttemptFailed(name);
        Instant started = ctx.now();
        BackupEvent starting =
                new BackupEvent("start", name, kind, started, null, null, null, null, null, null, null, null, null);
        for (NotifyTarget t : targets) {
            if (t.kind() == NotifyTarget.Kind.PING) {
                URI start = suffixed(t.url(), "/start");
                deliver(t, starting, context, () -> Delivery.post(t, start, "text/plain", new byte[0], Map.of()));
            }
        }
        BackupRecord done;
        try {
            done = run.get();
        } catch (RuntimeException thrown) {
            // a bug is still a failed backup to whoever waits for it: announced as INTERNAL, as the faces report it
            LifeboatException e = thrown instanceof LifeboatException le
                    ? le
                    : new LifeboatException(
                            dev.lifeboat.core.base.ErrorCode.INTERNAL, "unexpected failure", null, thrown);
            BackupEvent event = new BackupEvent(
                    "failure",
                    name,
                    kind,
                    started,
                    null,
                    null,
                    null,
                    null,
                    new BackupEvent.Failure(e.code().name(), Redactor.global().redact(e.getMessage())),
                    null,
                    null,
                    host(),
                    Version.get());
            announce(event, context);
            throw thrown;
        }
        BackupEvent event = new BackupEvent(
                failedBefore ? "recovery" : "success",
                name,
                kind,
                done.manifest().createdAt(),
                done.manifest().id(),
                done.store(),
                done.manifest().sizeBytes(),
                done.manifest().durationMillis(),
                null,
                null,
                null,
                host(),
                Version.get());
        announce(event, context);
        return done;
    }

    /** Tells every target that wants {@code event} about it (and every ping about a backup's outcome). */
    void announce(BackupEvent event, OperationContext context) {
        byte[] body = Redactor.global()
                .redact(Json.mapper().writeValueAsString(event))
                .getBytes(StandardCharsets.UTF_8);
        boolean failure = "failure".equals(event.event());
        for (NotifyTarget t : ctx.config().notifyTargets()) {
            if (t.kind() == NotifyTarget.Kind.PING) {
                if ("objective_missed".equals(event.event())) {
                    continue;
                }
                String text = failure
                        ? event.error().code() + ": " + event.error().message()
                        : "backup " + event.backupId() + " of " + event.source() + " committed in " + event.store();
                byte[] plain = Redactor.global().redact(text).getBytes(StandardCharsets.UTF_8);
                URI url = failure ? suffixed(t.url(), "/fail") : t.url();
                deliver(t, event, context, () -> Delivery.post(t, url, "text/plain; charset=utf-8", plain, Map.of()));
            } else if (wants(t, event.event())) {
                tell(t, event, body, context);
            }
        }
    }

    private void tell(NotifyTarget t, BackupEvent event, byte[] body, OperationContext context) {
        switch (t.kind()) {
            case WEBHOOK -> {
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                headers.put("X-Lifeboat-Event", event.event());
                if (t.secretEnv() != null) {
                    Secret key = ctx.passwords().env(t.secretEnv());
                    if (key == null) {
                        failed(
                                t,
                                event,
                                "secret_env " + t.secretEnv() + " is not set:" + " not sent unsigned",
                                context);
                        return;
                    }
                    headers.put(SIGNATURE_HEADER, "sha256=" + hmac(key, body));
                }
                deliver(t, event, context, () -> Delivery.post(t, t.url(), "application/json", body, headers));
            }
            case SLACK, DISCORD, TEAMS -> {
                String text = Redactor.global().redact(Messages.sentence(event));
                byte[] chat = Json.mapper()
                        .writeValueAsString(Messages.chatBody(t.kind(), text))
                        .getBytes(StandardCharsets.UTF_8);
                deliver(t, event, context, () -> Delivery.post(t, t.url(), "application/json", chat, Map.of()));
            }
            case EMAIL -> mail(t, event, context);
            default -> throw new IllegalStateException("no delivery for " + t.kind());
        }
    }

    private void mail(NotifyTarget t, BackupEvent event, OperationContext context) {
        NotifyTarget.Mail m = t.mail();
        Secret password = null;
        if (m.passwordEnv() != null) {
            password = ctx.passwords().env(m.passwordEnv());
            if (password == null) {
                failed(t, event, "password_env " + m.passwordEnv() + " is not set: the mail was not sent", context);
                return;
            }
        }
        SmtpMail.Letter letter = new SmtpMail.Letter(
                Redactor.global().redact(Messages.subject(event)),
                Redactor.global().redact(Messages.mailText(event)),
                Map.of("X-Lifeboat-Event", event.event()),
                ctx.now());
        Secret login = password;
        deliver(
                t,
                event,
                context,
                () -> Delivery.withRetries(t, () -> {
                    SmtpMail.Failure f = SmtpMail.send(m, login, t.timeout(), letter);
                    return f == null ? null : new Delivery.Refusal(f.problem(), f.transientFailure());
                }));
    }

    private static boolean wants(NotifyTarget t, String event) {
        // a recovery is a success too: a target that wants every success gets it
        return t.events().contains(event)
                || ("recovery".equals(event) && t.events().contains("success"));
    }

    /** One delivery to a target: null when it was accepted, else why not. */
    @FunctionalInterface
    private interface Send {
        String send() throws InterruptedException;
    }

    private void deliver(NotifyTarget t, BackupEvent event, OperationContext context, Send send) {
        String problem;
        try {
            problem = send.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (RuntimeException e) {
            // a broken target must never turn into the backup's failure
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (problem != null) {
            failed(t, event, problem, context);
        }
    }

    private void failed(NotifyTarget t, BackupEvent event, String problem, OperationContext context) {
        String what = t.kind().key() + " " + t.name() + ": " + problem;
        LOG.warn("notification not delivered: {}", Redactor.global().redact(what));
        ctx.audit()
                .write(AuditLog.Entry.start(ctx.now(), context, "notify")
                        .about(event.backupId(), event.source(), null)
                        .target(t.name())
                        .failed("error", null, Redactor.global().redact(what)));
    }

    /** Whether the last finished backup of {@code source} this host's audit log knows of failed. */
    private boolean lastAttemptFailed(String source) {
        boolean[] failed = {false};
        Instant[] latest = {null};
        ctx.audit().finished(line -> {
            if ("create".equals(line.operation())
                    && source.equals(line.database())
                    && (latest[0] == null || !line.time().isBefore(latest[0]))) {
                latest[0] = line.time();
                failed[0] = !"ok".equals(line.outcome());
            }
        });
        return failed[0];
    }

    /** {@code url} with {@code suffix} added to its path (before any query): healthchecks' /start, /fail. */
    static URI suffixed(URI url, String suffix) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "" : url.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(url.getScheme()
                    + "://"
                    + url.getRawAuthority()
                    + path
                    + suffix
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL after adding " + suffix, e);
        }
    }

    static String hmac(Secret key, byte[] body) {
        return HexFormat.of().formatHex(HmacSha256.of(key.reveal().getBytes(StandardCharsets.UTF_8), body));
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
