package dev.lifeboat.core.confirm;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.HmacSha256;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.PrivateFiles;
import dev.lifeboat.core.base.Remedy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-issued, single-use, expiring confirmation tokens for destructive operations, bound by HMAC
 * to the exact plan. State lives on disk under the state directory so that a plan made by one
 * process (a {@code --plan} run, an MCP call) can be executed or approved by another:
 * {@code key} (the HMAC key, 0600), {@code plans/<id>.json}, {@code used/<id>}, {@code approvals/<id>.json}.
 */
public final class Confirmations {
    private static final String PREFIX = "lbc1";
    private static final Pattern TOKEN =
            Pattern.compile(PREFIX + "\\.([0-9a-f]{20})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern PLAN_ID = Pattern.compile("[0-9a-f]{20}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Clock clock;
    private final boolean operatorApprovalRequired;
    private volatile byte[] key;

    /** How to get the token a destructive step was called without: its plan. */
    public static final String PLAN_FIRST =
            "make a plan first (" + Remedy.PLAN + ") and pass its token (" + Remedy.CONFIRM + ")";
    /** As {@link #PLAN_FIRST}, for a step whose plan is its dry run (a prune, a gc). */
    public static final String DRY_RUN_FIRST =
            "run the dry run first (" + Remedy.PLAN + ") and pass its token (" + Remedy.CONFIRM + ")";

    public Confirmations(Path stateDir, Clock clock) {
        this(stateDir, clock, false);
    }

    /**
     * @param operatorApprovalRequired the configuration's approval mode at redeem time: when it says
     *     'operator', every plan needs an approval whatever its file says, so a plan issued before the
     *     mode changed (or a plan file edited by hand) cannot slip through
     */
    public Confirmations(Path stateDir, Clock clock, boolean operatorApprovalRequired) {
        this.dir = stateDir.resolve("confirm");
        this.clock = clock;
        this.operatorApprovalRequired = operatorApprovalRequired;
    }

    /**
     * Whether a request carries a confirmation token: null and blank (an empty {@code --confirm}, a
     * client's {@code ""}) both mean none, so the step answers with its plan instead.
     */
    public static boolean given(String token) {
        return token != null && !token.isBlank();
    }

    /**
     * Refuses a destructive step called without a token, as CONFIRMATION_REQUIRED with {@code refusal}
     * (what the step would have done) and {@code hint} ({@link #PLAN_FIRST} or {@link #DRY_RUN_FIRST}):
     * the one check every such step makes before it redeems, so each says it the same way.
     */
    public static void requireToken(String token, String refusal, String hint) {
        if (!given(token)) {
            throw new LifeboatException(ErrorCode.CONFIRMATION_REQUIRED, refusal, hint);
        }
    }

    /** Issues a token for a plan. */
    public Confirmation issue(PlanBinding binding, Duration ttl, boolean operatorApproval) {
        String planId = HexFormat.of().formatHex(random(10));
        Instant issued = clock.instant();
        Instant expires = issued.plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        StoredPlan plan = new StoredPlan(planId, binding, issued, expires, operatorApproval, null);
        write(dir.resolve("plans").resolve(planId + ".json"), Json.mapper().writeValueAsBytes(plan), false);
        String token = PREFIX + "." + planId + "." + expires.getEpochSecond() + "."
                + sign(planId, expires, binding, operatorApproval);
        return new Confirmation(planId, token, expires, operatorApproval);
    }

    /**
     * Checks a token against the plan about to be executed and spends it. Every refusal is
     * TOKEN_REJECTED naming the failed check (malformed, unknown, signature, replayed, expired, bound to
     * another backup/target/mode); a missing operator approval is CONFIRMATION_REQUIRED.
     */
    public void redeem(String token, PlanBinding actual) {
        String planId = check(token, actual);
        try {
            write(
                    dir.resolve("used").resolve(planId),
                    clock.instant().toString().getBytes(StandardCharsets.UTF_8),
                    true);
        } catch (LifeboatException e) {
            if (e.code() == ErrorCode.ALREADY_EXISTS) {
                throw alreadyUsed(planId);
            }
            throw e;
        }
    }

    /**
     * Every check of {@link #redeem} without spending the token: for a use case that has one more
     * question to ask (a guarded delete) and must not ask it about a token that would be refused anyway.
     *
     * @return the plan's id
     */
    public String check(String token, PlanBinding actual) {
        Matcher m = token == null ? null : TOKEN.matcher(token.trim());
        if (m == null || !m.matches()) {
            throw rejected("the confirmation token is malformed", "pass the token exactly as the plan printed it");
        }
        String planId = m.group(1);
        Instant expires = Instant.ofEpochSecond(Long.parseLong(m.group(2)));
        StoredPlan plan = load(planId)
                .orElseThrow(() -> rejected(
                        "the confirmation token is unknown to this installation (plan " + planId + ")",
                        "make a new plan here and use its token"));
        // every field of the stored plan that decides whether it may run is under the MAC: the binding,
        // the expiry and whether an operator must approve it
        String expected = sign(planId, expires, plan.binding(), plan.operatorApproval());
        if (!MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), m.group(3).getBytes(StandardCharsets.US_ASCII))
                || !expires.equals(plan.expiresAt())
                || !planId.equals(plan.planId())) {
            throw rejected(
                    "the confirmation token's signature does not match: it was altered or belongs to another plan",
                    "make a new plan and pass its token unchanged");
        }
        Path used = dir.resolve("used").resolve(planId);
        if (Files.exists(used)) {
            throw alreadyUsed(planId);
        }
        if (clock.instant().isAfter(expires)) {
            throw rejected(
                    "the confirmation token expired at " + expires,
                    "make a new plan; tokens last "
                            + Duration.between(plan.issuedAt(), plan.expiresAt())
                                    .toMinutes() + " minutes");
        }
        Map<String, String> want = plan.binding().fields();
        Map<String, String> got = actual.fields();
        for (Map.Entry<String, String> e : want.entrySet()) {
            String now = got.get(e.getKey());
            if (!e.getValue().equals(now)) {
                throw rejected(
                        plan.binding().mismatch(e.getKey(), e.getValue(), now),
                        "make a new plan for what you want to do and use its token");
            }
        }
        if ((plan.operatorApproval() || operatorApprovalRequired) && !approved(plan)) {
            throw new LifeboatException(
                    ErrorCode.CONFIRMATION_REQUIRED,
                    "plan " + planId + " needs an operator's approval before it runs",
                    Remedy.APPROVE + " " + planId + ", then retry with the same token");
        }
        return planId;
    }

    /**
     * Keeps a plan's words beside it, so that the person asked to approve it reads the plan itself
     * and not only what it is bound to. Not under the MAC: whoever can rewrite it can read the key.
     */
    public void describe(String planId, String summary) {
        StoredPlan plan = load(planId).orElse(null);
        if (plan == null || summary == null) {
            return;
        }
        StoredPlan described = new StoredPlan(
                plan.planId(), plan.binding(), plan.issuedAt(), plan.expiresAt(), plan.operatorApproval(), summary);
        write(dir.resolve("plans").resolve(planId + ".json"), Json.mapper().writeValueAsBytes(described), false);
    }

    /**
     * A plan still waiting to run: known here, not yet executed, not expired. What an operator is
     * shown before approving it.
     */
    public Pending pending(String planId) {
        if (planId == null || !PLAN_ID.matcher(planId).matches()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid plan id '" + planId + "'",
                    "a plan id is 20 hex characters, as the plan printed it");
        }
        StoredPlan plan = load(planId)
                .orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND, "no plan " + planId + " here", null));
        if (Files.exists(dir.resolve("used").resolve(planId))) {
            throw rejected("plan " + planId + " was already executed", null);
        }
        if (clock.instant().isAfter(plan.expiresAt())) {
            throw rejected("plan " + planId + " expired at " + plan.expiresAt(), "make a new plan");
        }
        return new Pending(planId, plan.binding(), plan.summary(), plan.issuedAt(), plan.expiresAt(), approved(plan));
    }

    /**
     * A plan waiting to run.
     *
     * @param summary the plan in plain words, or null for a plan made before plans kept their words
     * @param approved whether an operator approved it already
     */
    public record Pending(
            String planId,
            PlanBinding binding,
            String summary,
            Instant issuedAt,
            Instant expiresAt,
            boolean approved) {}

    /** Records an operator's approval of a pending plan; returns what was approved. */
    public PlanBinding approve(String planId, String approver) {
        StoredPlan plan = load(pending(planId).planId()).orElseThrow();
        String who = approver == null || approver.isBlank() ? "unknown" : approver;
        String mac = mac("approve\n" + planId + "\n" + who);
        byte[] body = Json.mapper().writeValueAsBytes(new Approval(planId, who, clock.instant(), mac));
        write(dir.resolve("approvals").resolve(planId + ".json"), body, false);
        return plan.binding();
    }

    private boolean approved(StoredPlan plan) {
        Path f = dir.resolve("approvals").resolve(plan.planId() + ".json");
        try {
            Approval a = Json.mapper().readValue(Files.readAllBytes(f), Approval.class);
            String expected = mac("approve\n" + plan.planId() + "\n" + a.approver());
            return a.planId().equals(plan.planId())
                    && MessageDigest.isEqual(
                            expected.getBytes(StandardCharsets.US_ASCII),
                            a.mac().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private java.util.Optional<StoredPlan> load(String planId) {
        try {
            byte[] b = Files.readAllBytes(dir.resolve("plans").resolve(planId + ".json"));
            StoredPlan plain = PlanJson.read(b);
            return java.util.Optional.of(plain != null ? plain : Json.mapper().readValue(b, StoredPlan.class));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw rejected("plan " + planId + " cannot be read: " + e.getMessage(), "make a new plan");
        }
    }

    private String sign(String planId, Instant expires, PlanBinding binding, boolean operatorApproval) {
        return mac(planId + "\n" + expires.getEpochSecond() + "\n" + binding.canonical() + "\noperator_approval="
                + operatorApproval);
    }

    private String mac(String text) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(HmacSha256.of(key(), text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The installation's HMAC key, made on first use; concurrent first uses agree on one key. */
    private byte[] key() {
        byte[] k = key;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (key != null) {
                return key;
            }
            Path file = dir.resolve("key");
            try {
                if (!Files.exists(file)) {
                    try {
                        write(file, random(32), true);
                    } catch (LifeboatException e) {
                        if (e.code() != ErrorCode.ALREADY_EXISTS) {
                            throw e;
                        }
                    }
                }
                dev.lifeboat.core.base.FilePermissions.requireOwnerOnly(file, "confirmation key");
                byte[] read = Files.readAllBytes(file);
                if (read.length != 32) {
                    throw new LifeboatException(
                            ErrorCode.CONFIG_INVALID,
                            "confirmation key " + file + " is damaged",
                            "delete it; pending tokens become invalid");
                }
                key = read;
                return read;
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "cannot read the confirmation key " + file + ": " + e.getMessage(),
                        null,
                        e);
            }
        }
    }

    /** Writes a 0600 file whole (temp + rename, or create-only link), its directories made owner-only. */
    private void write(Path file, byte[] content, boolean createOnly) {
        try {
            Path parent = file.getParent();
            PrivateDirectories.ensure(dir);
            PrivateDirectories.ensure(parent);
            PrivateFiles.write(file, content, createOnly);
        } catch (FileAlreadyExistsException e) {
            throw new LifeboatException(ErrorCode.ALREADY_EXISTS, file + " already exists", null, e);
        } catch (IOException e) {
            throw PrivateDirectories.unwritable(file, e, "nothing was changed");
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static LifeboatException rejected(String message, String hint) {
        return new LifeboatException(ErrorCode.TOKEN_REJECTED, message, hint);
    }

    /** The refusal of a spent token: whether the check saw its mark or the redeem lost the race for it. */
    private static LifeboatException alreadyUsed(String planId) {
        return rejected(
                "the confirmation token was already used (plan " + planId + "); tokens are single-use",
                "make a new plan to get a new token");
    }

    record StoredPlan(
            String planId,
            PlanBinding binding,
            Instant issuedAt,
            Instant expiresAt,
            boolean operatorApproval,
            String summary) {}

    record Approval(String planId, String approver, Instant approvedAt, String mac) {}
}
