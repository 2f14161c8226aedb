package dev.lifeboat.cli;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns whatever ended a command into one error report and an exit code: {@code error: CODE:
 * message} and {@code hint: ...} on stderr, or {@code {"error":{...}}} with --json. Stack traces
 * only with --verbose, and redacted like everything else.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Output out = new Output(cmd.getOut(), cmd.getErr(), matched(parseResult, "--json"));
        int exit;
        if (ex instanceof LifeboatException le) {
            out.error(le.code().name(), le.getMessage(), le.hint(CliRemedies::spell));
            exit = ExitCodes.of(le.code());
        } else {
            out.error(
                    ErrorCode.INTERNAL.name(),
                    "unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage(),
                    "this is a bug; run again with --verbose for the stack trace and report it");
            exit = ExitCodes.INTERNAL;
        }
        if (matched(parseResult, "--verbose")) {
            printStackTrace(ex, cmd.getErr());
        }
        return exit;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        boolean json = Arrays.asList(args).contains("--json");
        Output out = new Output(cmd.getOut(), cmd.getErr(), json);
        out.error(
                ErrorCode.INVALID_ARGUMENT.name(),
                ex.getMessage(),
                "see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        if (!json) {
            UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
        }
        return ExitCodes.USAGE;
    }

    private static boolean matched(ParseResult result, String option) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static void printStackTrace(Throwable t, PrintWriter err) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        err.print(Redactor.global().redact(trace.toString()));
        err.flush();
    }
}
