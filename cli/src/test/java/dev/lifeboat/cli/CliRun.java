package dev.lifeboat.cli;

import dev.lifeboat.core.base.CancelSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real command tree in-process with captured stdout and stderr. */
public final class CliRun {
    private CliRun() {}

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static Result run(Map<String, String> env, String... args) {
        return run(new CliEnvironment(env, Terminal.NONE, new CancelSignal(), "tester"), args);
    }

    public static Result run(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as Main builds it: only the tree the arguments name
        CommandLine cmd = LifeboatCommand.commandLine(environment, args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code args} with {@code more} after them: one command line run again with flags added. */
    public static String[] plus(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
