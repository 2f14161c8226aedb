package dev.lifeboat.mcp;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.tool.ToolContext;

/**
 * The client of one {@code tools/call} as {@link ToolDispatcher} uses it, whatever carries the call: a
 * session of the 2025 revisions (the SDK's exchange) or a request of the stateless 2026-07-28 one.
 *
 * @param caller who called, with the call's JSON-RPC id
 * @param progress the request's progress (a {@link dev.lifeboat.mcp.operation.ProgressRelay}, strictly
 *     increasing across every round of the call), or {@link Progress#NONE} without a progress token
 * @param log log notifications to the client
 * @param cancel stops the call: a {@code notifications/cancelled} for it, or its client going away
 */
record CallClient(CallerInfo caller, Progress progress, ToolContext.ClientLog log, CancelSignal cancel) {}
