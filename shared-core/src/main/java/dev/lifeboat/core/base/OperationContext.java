package dev.lifeboat.core.base;

/**
 * Who asks and how to report back, passed with every long or audited operation.
 *
 * @param transport the front end: "cli", "stdio", "http", "sse"
 * @param subject who is calling (an HTTP token's subject, the OS user), for the audit log
 * @param progress where progress goes
 * @param cancel how the caller stops the operation
 */
public record OperationContext(String transport, String subject, Progress progress, CancelSignal cancel) {
    public OperationContext {
        progress = progress == null ? Progress.NONE : progress;
        cancel = cancel == null ? new CancelSignal() : cancel;
    }

    public static OperationContext of(String transport, String subject) {
        return new OperationContext(transport, subject, Progress.NONE, new CancelSignal());
    }
}
