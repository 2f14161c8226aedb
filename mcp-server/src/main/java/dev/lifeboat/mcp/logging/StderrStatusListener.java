package dev.lifeboat.mcp.logging;

import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Logback's own warnings and errors (a broken or duplicate config), on stderr. Without a listener
 * logback prints them to stdout, which in stdio mode belongs to JSON-RPC; logback's stock console
 * listeners print every INFO status as well.
 */
public class StderrStatusListener extends ContextAwareBase implements StatusListener {
    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            System.err.println("logback: " + status.getMessage());
        }
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }
}
