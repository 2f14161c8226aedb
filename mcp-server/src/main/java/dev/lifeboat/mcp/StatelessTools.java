package dev.lifeboat.mcp;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Plan;
import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.operation.ProgressRelay;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ListedTool;
import dev.lifeboat.mcp.tool.ToolContext;
import dev.lifeboat.mcp.transport.CancelRegistry;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpAsyncNotifier;
import io.modelcontextprotocol.modern.server.McpAsyncResponse;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.feature.McpAsyncTool;
import io.modelcontextprotocol.modern.server.feature.McpAsyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lifeboat's tools under the stateless 2026-07-28 revision (the SDK's {@code io.modelcontextprotocol.modern}):
 * the same tools, scopes, checks and results as over a session, run by the same {@link ToolDispatcher}.
 *
 * <p>What differs is how a person confirms a destructive plan. A stateless server cannot ask its client
 * in the middle of a request, so the call answers {@code input_required}: a form ({@code
 * elicitation/create}) that shows the plan and asks for the typed confirmation, and the plan's id in
 * {@code requestState}, which the SDK seals (HMAC, bound to the caller, the method and the tool, ten
 * minutes). The plan's token stays in this server ({@link HeldTokens}). The client calls again with the
 * person's answer; only an accepted, correctly typed answer runs the call with the token. The model never
 * holds the token. A client that declares no form elicitation gets the token flow, as over a session.
 */
final class StatelessTools implements McpAsyncToolRepository {
    /** The key of the one input request: the person's confirmation. */
    static final String CONFIRMATION = "confirmation";

    /** Arguments are checked by the dispatcher, which reports failures in Lifeboat's error shape. */
    private static final Map<String, Object> ANY_OBJECT = Map.of("type", "object");

    /** The {@code _meta} key of the lowest log level a request wants to hear. */
    static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";

    private final Map<String, LifeboatTool> tools = new LinkedHashMap<>();
    private final Map<String, McpSchema.Tool> listed = new LinkedHashMap<>();
    private final ToolDispatcher dispatcher;
    private final Function<String, Confirmations.Pending> plans;
    private final CancelRegistry cancels;
    private final McpJsonMapper mapper;
    private final HeldTokens held = new HeldTokens();

    /**
     * @param plans the pending plan of a plan id (to show it to the person); null: every client gets the
     *     token flow
     */
    StatelessTools(
            List<LifeboatTool> tools,
            ToolDispatcher dispatcher,
            Function<String, Confirmations.Pending> plans,
            CancelRegistry cancels,
            McpJsonMapper mapper) {
        this.dispatcher = dispatcher;
        this.plans = plans;
        this.cancels = cancels;
        this.mapper = mapper;
        for (LifeboatTool t : tools) {
            String name = t.definition().name();
            this.tools.put(name, t);
            // the lean listing clients of the 2025 revisions see, in the 2026 revision's records
            this.listed.put(name, mapper.convertValue(ListedTool.of(t.definition()), McpSchema.Tool.class));
        }
    }

    /** The tools the caller's scopes let it call, as over a session. */
    @Override
    public Mono<ToolsPage> list(McpRequestContext ctx, String cursor) {
        CallerInfo caller = CallerInfo.from(ctx.transportContext());
        return Mono.just(ToolsPage.of(tools.values().stream()
                .filter(t -> caller.has(t.scope()))
                .map(t -> listed.get(t.definition().name()))
                .toList()));
    }

    @Override
    public Mono<McpAsyncTool> find(McpRequestContext ctx, String name) {
        LifeboatTool tool = tools.get(name);
        if (tool == null) {
            return Mono.empty();
        }
        // the SDK checks arguments against this schema before the call; the dispatcher checks them
        // against the real one and answers with Lifeboat's code, message and hint
        McpSchema.Tool checked = McpSchema.Tool.builder(name, ANY_OBJECT).build();
        return Mono.just(McpAsyncTool.of(
                checked, (c, request) -> Mono.just(McpAsyncResponse.streaming(n -> call(tool, c, request, n)))));
    }

    /**
     * Runs the call on a worker thread. Its client going away (the SDK disposes the call) cancels it,
     * as a {@code notifications/cancelled} for it does over stdio.
     */
    private Mono<McpSchema.CallToolOutcome> call(
            LifeboatTool tool, McpRequestContext ctx, McpSchema.CallToolRequest request, McpAsyncNotifier notifier) {
        CallerInfo caller = CallerInfo.from(ctx.transportContext());
        CancelSignal cancel = caller.requestId() == null
                ? new CancelSignal()
                : cancels.signal(caller.sessionKey(), caller.requestId());
        return Mono.fromCallable(() -> {
                    ProgressRelay relay = ctx.progressToken() == null
                            ? null
                            : ClientNotices.relay((progress, total, message) ->
                                    notifier.progress(progress, total, message).block());
                    try (relay) {
                        CallClient client = new CallClient(
                                caller, relay == null ? Progress.NONE : relay, log(ctx, notifier), cancel);
                        return outcome(tool, ctx, request, client);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .doOnCancel(cancel::cancel);
    }

    /**
     * Log notifications on the call's stream, only when the request asked for them: the revision has
     * no {@code logging/setLevel}; a client names the lowest level it wants in the request's {@code
     * _meta["io.modelcontextprotocol/logLevel"]} (deprecated in the SDK, but what the revision defines).
     */
    private static ToolContext.ClientLog log(McpRequestContext ctx, McpAsyncNotifier notifier) {
        Object asked = ctx.meta() == null ? null : ctx.meta().get(LOG_LEVEL);
        io.modelcontextprotocol.spec.McpSchema.LoggingLevel lowest = null;
        for (var level : io.modelcontextprotocol.spec.McpSchema.LoggingLevel.values()) {
            if (level.name().equalsIgnoreCase(String.valueOf(asked))) {
                lowest = level;
            }
        }
        if (lowest == null) {
            return ToolContext.ClientLog.NONE;
        }
        int from = lowest.level();
        return ClientNotices.log((level, message) -> {
            if (level.level() >= from) {
                notifier.notify(
                                "notifications/message",
                                Map.of(
                                        "level",
                                        level.name().toLowerCase(java.util.Locale.ROOT),
                                        "logger",
                                        "lifeboat",
                                        "data",
                                        message))
                        .block();
            }
        });
    }

    private McpSchema.CallToolOutcome outcome(
            LifeboatTool tool, McpRequestContext ctx, McpSchema.CallToolRequest request, CallClient client) {
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        if (request.requestState() != null) {
            // opened by the SDK: it was sealed by this server for this caller, method and tool
            return complete(confirmed(tool, args, client, request.requestState(), request.inputResponses()));
        }
        boolean form = plans != null
                && ctx.clientCapabilities() != null
                && ctx.clientCapabilities().supportsElicitationForm();
        ToolDispatcher.Round first = dispatcher.round(tool, args, client, form, null);
        Plan plan = first.plan();
        if (plan == null) {
            return complete(first.result());
        }
        String planId = plan.confirmation().planId();
        PersonConfirmation.Form shown;
        try {
            shown = PersonConfirmation.form(plan, plans.apply(planId));
        } catch (LifeboatException e) {
            return complete(ToolDispatcher.error(e));
        }
        held.put(planId, plan.confirmation().token(), plan.confirmation().expiresAt());
        return McpSchema.InputRequiredResult.builder()
                .elicit(
                        CONFIRMATION,
                        McpSchema.ElicitFormRequest.builder(shown.message(), shown.schema())
                                .build())
                .requestState(planId)
                .build();
    }

    /** The round after the person answered the form of plan {@code planId}. */
    private io.modelcontextprotocol.spec.McpSchema.CallToolResult confirmed(
            LifeboatTool tool,
            Map<String, Object> args,
            CallClient client,
            String planId,
            Map<String, Object> inputResponses) {
        // taken whatever the answer: a declined or mistyped plan is not asked about again
        String token = held.take(planId);
        if (token == null) {
            return ToolDispatcher.error(
                    PersonConfirmation.NOT_CONFIRMED,
                    "plan " + planId + " is not waiting for a confirmation here any more (it expired, was"
                            + " answered already, or the server restarted); nothing was changed",
                    "call again for a new plan");
        }
        Object answer = inputResponses == null ? null : inputResponses.get(CONFIRMATION);
        String action = null;
        Map<String, Object> content = null;
        if (answer instanceof Map<?, ?> a) {
            action = a.get("action") instanceof String s ? s : null;
            content = a.get("content") instanceof Map<?, ?> c ? stringKeys(c) : null;
        }
        PersonConfirmation.Refusal no;
        try {
            no = PersonConfirmation.judge(action, content, plans.apply(planId));
        } catch (LifeboatException e) {
            return ToolDispatcher.error(e);
        }
        if (no != null) {
            return ToolDispatcher.error(PersonConfirmation.NOT_CONFIRMED, no.message(), no.hint());
        }
        return dispatcher.round(tool, args, client, false, token).result();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** The dispatcher's result (the 2025 records) as the 2026 revision's: the same JSON. */
    private McpSchema.CallToolResult complete(io.modelcontextprotocol.spec.McpSchema.CallToolResult result) {
        return mapper.convertValue(result, McpSchema.CallToolResult.class);
    }
}
