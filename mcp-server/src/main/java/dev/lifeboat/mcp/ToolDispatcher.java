package dev.lifeboat.mcp;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Plan;
import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.InsufficientScope;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.ProgressRelay;
import dev.lifeboat.mcp.tool.Arguments;
import dev.lifeboat.mcp.tool.ErrorResult;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ListedTool;
import dev.lifeboat.mcp.tool.LongRunningTool;
import dev.lifeboat.mcp.tool.ToolContext;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.transport.CancelRegistry;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LifeboatTool} inside the SDK: checks the caller's scope and the arguments, builds the
 * {@link OperationContext} (audit subject, progress, cancel), and turns every outcome into a tool
 * result. Expected failures become {@code isError} results with {@code CODE: message} and a hint;
 * anything else is logged on the server and reported without its stack trace. Every result, success
 * or error, matches the tool's output schema, which declares the error shape ({@link ErrorResult}):
 * clients that validate {@code structuredContent} (the TypeScript SDK's does, even for errors) accept
 * them all.
 */
public final class ToolDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ToolDispatcher.class);

    /**
     * How long a long destructive call waits at least, for a client the person is asked through, before
     * it answers 'running': long enough for a plan to be made (a restore's plan reads a manifest and the
     * target), and below the 60 s a host waits by default (the TypeScript SDK's request timeout).
     */
    static final Duration PLAN_WAIT = Duration.ofSeconds(45);

    private final CancelRegistry cancels;
    private final JsonSchemaValidator validator;
    private final Set<Scope> ceiling;
    private final Function<String, Confirmations.Pending> plans;

    public ToolDispatcher(CancelRegistry cancels, JsonSchemaValidator validator) {
        this(cancels, validator, EnumSet.allOf(Scope.class));
    }

    public ToolDispatcher(CancelRegistry cancels, JsonSchemaValidator validator, Set<Scope> ceiling) {
        this(cancels, validator, ceiling, null);
    }

    /**
     * @param ceiling the scopes any call may need on this server (read-only mode: backups:read alone);
     *     a call needing another is refused whatever the caller holds
     * @param plans the pending plan of a plan id, to ask a person to confirm it through the client
     *     ({@link PersonConfirmation}); null: every client gets the token flow
     */
    public ToolDispatcher(
            CancelRegistry cancels,
            JsonSchemaValidator validator,
            Set<Scope> ceiling,
            Function<String, Confirmations.Pending> plans) {
        this.cancels = cancels;
        this.validator = validator;
        this.ceiling = Set.copyOf(ceiling);
        this.plans = plans;
    }

    /**
     * The tool as the SDK serves it. Its output schema accepts Lifeboat's error result (else clients
     * that validate structuredContent would hide every error of the tool from the model) because it is
     * built with {@code Schema.output}; the tools are compiled in, so {@code ToolDispatcherTest} holds
     * every one of them, full and listed, to that instead of 60 validations at every server start.
     */
    public McpServerFeatures.SyncToolSpecification specification(LifeboatTool tool) {
        McpSchema.Tool definition = tool.definition();
        // clients see the lean listing; calls and answers are still checked against the full definition
        McpSchema.Tool listed = ListedTool.of(definition);
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(listed)
                .callHandler((exchange, request) -> call(tool, definition, exchange, request))
                .build();
    }

    /**
     * A call over a session of the 2025 revisions: run it; when it makes a plan and the client takes
     * forms, ask the person through the client and, confirmed, run it again with the plan's token, all
     * inside this one request.
     */
    McpSchema.CallToolResult call(
            LifeboatTool tool,
            McpSchema.Tool definition,
            McpSyncServerExchange exchange,
            McpSchema.CallToolRequest request) {
        CallerInfo caller = CallerInfo.from(exchange.transportContext());
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        // opened by the transport when it read the call; taken here, closed when the call ends
        CancelSignal cancel = cancels.signal(caller.sessionKey(), caller.requestId());
        try (ProgressRelay relay = relay(exchange, request)) {
            CallClient client =
                    new CallClient(caller, relay == null ? Progress.NONE : relay, clientLog(exchange), cancel);
            boolean form = plans != null && PersonConfirmation.supported(exchange);
            Round first = round(tool, args, client, form, null);
            if (first.plan() == null) {
                return first.result();
            }
            Plan plan = first.plan();
            PersonConfirmation.Refusal no;
            try {
                no = PersonConfirmation.ask(
                        exchange, plan, plans.apply(plan.confirmation().planId()));
            } catch (LifeboatException e) { // the plan expired or was carried out meanwhile
                return error(e);
            }
            if (no != null) {
                return error(PersonConfirmation.NOT_CONFIRMED, no.message(), no.hint());
            }
            return round(tool, args, client, false, plan.confirmation().token()).result();
        } finally {
            cancels.close(caller.sessionKey(), caller.requestId());
        }
    }

    /**
     * One round of a call: its result, or, when the person is to confirm it ({@code form}), the plan it
     * made, whose token stays here, beside a result that holds the plan without it.
     *
     * @param token the token of the plan the person confirmed (the round that carries it out), or null
     */
    Round round(LifeboatTool tool, Map<String, Object> args, CallClient client, boolean form, String token) {
        McpSchema.Tool definition = tool.definition();
        CallerInfo caller = client.caller();
        try {
            Scope needed = tool.scope(args);
            McpSchema.CallToolResult refused = refusal(tool, definition, args, needed, caller);
            if (refused != null) {
                return new Round(refused, null);
            }
            Map<String, Object> confirmed = args;
            if (token != null) {
                confirmed = new java.util.LinkedHashMap<>(args);
                confirmed.put("confirm_token", token);
            }
            client.cancel().throwIfCancelled();
            // a client with a form for the person: the plan's token stays here, the person confirms
            PlanHandoff asked = form || token != null ? new PlanHandoff() : null;
            McpSchema.CallToolResult result =
                    dispatch(tool, definition, new Arguments(confirmed), caller, needed, client, asked);
            // from here a plan made by work still running cannot be shown to the person any more
            Plan plan = asked == null ? null : asked.close();
            if (plan != null && token != null) {
                return new Round(
                        error(
                                PersonConfirmation.NOT_CONFIRMED,
                                "the plan the user confirmed asked for a confirmation again; nothing was changed",
                                "call again for a new plan"),
                        null);
            }
            return new Round(result, plan);
        } catch (LifeboatException e) {
            return new Round(error(e), null);
        } catch (Exception | Error e) { // Exception: a checked one thrown sneakily must not escape either
            return new Round(internal(definition, e), null);
        }
    }

    /**
     * What one round of a call came to.
     *
     * @param result the call's result (with a plan: the plan without its token, for an operation's record)
     * @param plan the plan the person is to confirm, token included, or null
     */
    record Round(McpSchema.CallToolResult result, Plan plan) {}

    /**
     * Why the caller may not make this call, as its error result; null when it may. The authoritative
     * scope check, on the arguments the tool will run with: the HTTP filter checks first so that a refusal
     * can be an HTTP 403 with its challenge, but it reads the body on its own and lets through what it
     * cannot parse; whatever the SDK does parse and run is checked here.
     *
     * @throws LifeboatException INVALID_ARGUMENT when the arguments do not match the input schema
     */
    private McpSchema.CallToolResult refusal(
            LifeboatTool tool, McpSchema.Tool definition, Map<String, Object> args, Scope needed, CallerInfo caller) {
        if (!ceiling.contains(needed)) {
            return error(
                    "READ_ONLY",
                    "this server is read-only: this " + definition.name() + " call would need " + needed.id()
                            + ", which it offers to no one",
                    "only calls that read are possible here (list_backups, get_backup, verify_backup, ...); the"
                            + " server's operator decides whether it is read-only");
        }
        if (!caller.has(needed)) {
            return insufficientScope(needed, "make this " + definition.name() + " call");
        }
        // connection-string shapes are refused with their own message before generic schema errors
        new Arguments(args);
        JsonSchemaValidator.ValidationResponse valid = validator.validate(definition.inputSchema(), args);
        if (!valid.valid()) {
            String moved = tool.movedTo(args);
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid arguments for " + definition.name() + ": " + valid.errorMessage(),
                    moved != null
                            ? moved
                            : "check the tool's input schema in tools/list: unknown arguments are refused, backup"
                                    + " ids look like app-20261122T071200Z-3f9a (list_backups), names come from"
                                    + " list_databases");
        }
        return null;
    }

    /**
     * A call made as a task of the MCP tasks utility, run inside its operation {@code op}: the checks of
     * any call, then the tool. No request is open while it runs, so there is no one to ask to confirm a
     * plan (only tools that make none run as tasks), and its progress is the operation's.
     */
    public McpSchema.CallToolResult callAsTask(
            LifeboatTool tool, Map<String, Object> args, CallerInfo caller, Operation op) {
        McpSchema.Tool definition = tool.definition();
        try {
            McpSchema.CallToolResult refused = refusal(tool, definition, args, tool.scope(args), caller);
            if (refused != null) {
                return refused;
            }
            OperationContext operation =
                    new OperationContext(caller.transport(), caller.subject(), op.reporter(), op.cancelSignal());
            return run(
                    tool,
                    definition,
                    new Arguments(args),
                    new ToolContext(operation, ToolContext.ClientLog.NONE, caller.scopes()),
                    null);
        } catch (LifeboatException e) {
            return error(e);
        } catch (Exception | Error e) { // Exception: a checked one thrown sneakily must not escape either
            return internal(definition, e);
        }
    }

    /**
     * Runs the call; a long one as an operation of the server: the work runs on a thread of its own with
     * its own cancel signal, and this request waits for it at most the call's {@code wait}. Meanwhile the
     * request's progress token hears the work's progress and a {@code notifications/cancelled} for the
     * request stops the work; after that the request answers 'running' and neither is connected any more:
     * the work goes on until it ends or cancel_operation stops it, whatever becomes of this client.
     */
    private McpSchema.CallToolResult dispatch(
            LifeboatTool called,
            McpSchema.Tool definition,
            Arguments arguments,
            CallerInfo caller,
            Scope needed,
            CallClient client,
            PlanHandoff asked) {
        if (!(called instanceof LongRunningTool tool)) {
            OperationContext operation =
                    new OperationContext(caller.transport(), caller.subject(), client.progress(), client.cancel());
            return run(called, definition, arguments, new ToolContext(operation, client.log(), caller.scopes()), asked);
        }
        Duration wait = LongRunningTool.waitOf(arguments);
        if (asked != null
                && destructive(definition)
                && arguments.string("confirm_token") == null
                && wait.compareTo(PLAN_WAIT) < 0) {
            // the person can only be asked while this request is open: a call that makes a plan waits for
            // it, whatever its 'wait' (a plan reads a manifest and the target: seconds, not minutes)
            wait = PLAN_WAIT;
        }
        ToolContext.ClientLog log = client.log();
        Operation op = tool.operations().start(caller.subject(), definition.name(), needed, o -> {
            OperationContext operation =
                    new OperationContext(caller.transport(), caller.subject(), o.reporter(), o.cancelSignal());
            return run(tool, definition, arguments, new ToolContext(operation, log, caller.scopes()), asked);
        });
        McpSchema.CallToolResult done;
        try (Operation.Subscription listening = op.listen(client.progress());
                CancelSignal.Registration stop = client.cancel().onCancel(op::cancel)) {
            done = op.await(wait);
        }
        return done != null ? done : success(definition, LongRunningTool.running(op));
    }

    /**
     * Runs the tool; every outcome becomes a result in the tool's output schema. With {@code asked}, a
     * plan to confirm goes there instead of into the result, which then holds the plan without its
     * token (an operation keeps its result for get_operation: the token must not be in it).
     */
    private McpSchema.CallToolResult run(
            LifeboatTool tool, McpSchema.Tool definition, Arguments arguments, ToolContext context, PlanHandoff asked) {
        try {
            context.operation().cancel().throwIfCancelled();
            ToolResult result = tool.call(arguments, context);
            Plan plan = result.pending();
            if (asked != null && plan != null && !plan.confirmation().operatorApproval()) {
                if (asked.offer(plan)) {
                    return success(definition, PersonConfirmation.asking(result, plan));
                }
                // its call already answered 'running': no form can reach the person now, and the token
                // must not reach the model, so the plan ends here unconfirmed
                return error(
                        PersonConfirmation.NOT_CONFIRMED,
                        "plan " + plan.confirmation().planId() + " was ready only after this call had answered"
                                + " 'running', so the user could not be asked to confirm it; nothing was changed",
                        "call again: the user is asked while the call waits for its plan");
            }
            return success(definition, result);
        } catch (LifeboatException e) {
            return error(e);
        } catch (InsufficientScope e) {
            return insufficientScope(e.needed(), e.getMessage());
        } catch (Exception | Error e) { // Exception: a checked one thrown sneakily must not escape either
            return internal(definition, e);
        }
    }

    private static boolean destructive(McpSchema.Tool t) {
        return t.annotations() == null || !Boolean.FALSE.equals(t.annotations().destructiveHint());
    }

    private static McpSchema.CallToolResult internal(McpSchema.Tool definition, Throwable e) {
        LOG.error("tool {} failed unexpectedly", definition.name(), e);
        return error(
                ErrorCode.INTERNAL.name(),
                "an internal error stopped " + definition.name(),
                "this is a bug in Lifeboat; the server's log (stderr) has the details");
    }

    private static McpSchema.CallToolResult insufficientScope(Scope needed, String what) {
        return error(
                "INSUFFICIENT_SCOPE",
                "this token may not " + what,
                "it needs the scope " + needed.id() + "; ask the server's operator for a token with it");
    }

    /**
     * A success, checked against the tool's output schema first: the SDK would replace a result that
     * does not match with a bare text error, and strict clients would reject it. A mismatch is a bug,
     * reported in Lifeboat's error shape with a warning that the call itself may have done its work.
     */
    private McpSchema.CallToolResult success(McpSchema.Tool definition, ToolResult result) {
        if (definition.outputSchema() != null) {
            String mismatch = result.structured() == null
                    ? "no structured content"
                    : invalid(validator.validate(definition.outputSchema(), result.structured()));
            if (mismatch != null) {
                LOG.error(
                        "tool {} returned a result that does not match its output schema: {}",
                        definition.name(),
                        mismatch);
                return error(
                        ErrorCode.INTERNAL.name(),
                        "the " + definition.name() + " call finished, but its result does not match the tool's"
                                + " output schema and cannot be shown",
                        "this is a bug in Lifeboat; check what the call did (e.g. with list_backups) before"
                                + " calling it again; the server's log (stderr) has the details");
            }
        }
        McpSchema.CallToolResult.Builder ok = McpSchema.CallToolResult.builder()
                .addTextContent(result.summary())
                .isError(false);
        if (result.structured() != null) {
            ok.structuredContent(result.structured());
        }
        return ok.build();
    }

    private static String invalid(JsonSchemaValidator.ValidationResponse v) {
        return v.valid() ? null : v.errorMessage();
    }

    /** The error result of a refusal from the core, its hint's remedies spelled as this server's arguments. */
    static McpSchema.CallToolResult error(LifeboatException e) {
        return error(e.code().name(), e.getMessage(), e.hint(dev.lifeboat.mcp.tool.McpRemedies::spell));
    }

    /**
     * An {@code isError} result in the one shape every output schema declares ({@link ErrorResult}):
     * text {@code CODE: message\nHint: hint} and {@code structuredContent.error}, both redacted.
     */
    static McpSchema.CallToolResult error(String code, String message, String hint) {
        Redactor r = Redactor.global();
        String m = message == null ? null : r.redact(message);
        String h = hint == null ? null : r.redact(hint);
        return McpSchema.CallToolResult.builder()
                .addTextContent(ErrorResult.text(code, m, h))
                .structuredContent(ErrorResult.structured(code, m, h))
                .isError(true)
                .build();
    }

    /** Progress for the request's progress token ({@link ClientNotices#relay}); null without a token. */
    private static ProgressRelay relay(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.progressToken();
        return token == null
                ? null
                : ClientNotices.relay((progress, total, message) -> exchange.progressNotification(
                        new McpSchema.ProgressNotification(token, progress, total, message)));
    }

    private static ToolContext.ClientLog clientLog(McpSyncServerExchange exchange) {
        return ClientNotices.log(
                (level, message) -> exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder()
                        .level(level)
                        .logger("lifeboat")
                        .data(message)
                        .build()));
    }
}
