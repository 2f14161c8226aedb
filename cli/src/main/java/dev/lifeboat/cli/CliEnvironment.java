package dev.lifeboat.cli;

import dev.lifeboat.core.base.CancelSignal;
import java.util.Map;
import java.util.Objects;

/**
 * What a CLI run gets from the process around it, passed in so that tests run the real commands
 * with their own environment variables and no terminal.
 *
 * @param variables the environment (libpq variables, LIFEBOAT_CONFIG, XDG dirs, password variables)
 * @param terminal the terminal, or {@link Terminal#NONE}
 * @param cancel fired by Ctrl-C; long operations pass it to the service
 * @param user who is running the command, for audit and approvals
 */
public record CliEnvironment(Map<String, String> variables, Terminal terminal, CancelSignal cancel, String user) {
    public CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(cancel, "cancel");
        user = user == null || user.isBlank() ? "unknown" : user;
    }

    public static CliEnvironment system(CancelSignal cancel) {
        return new CliEnvironment(System.getenv(), Terminal.system(), cancel, System.getProperty("user.name"));
    }
}
