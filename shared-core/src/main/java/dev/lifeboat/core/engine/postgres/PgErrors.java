package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Classifies a failed pg_dump/pg_restore by its stderr (the tools run with LC_MESSAGES=C). The message
 * always carries the (already redacted) stderr so nothing the tool said is lost.
 */
final class PgErrors {
    private static final Pattern VERSION_MISMATCH = Pattern.compile(
            "server version mismatch|unsupported version \\([0-9.]+\\) in file header", Pattern.CASE_INSENSITIVE);
    private static final Pattern MISSING_DATABASE = Pattern.compile("FATAL:\\s+database \"[^\"]*\" does not exist");
    private static final Pattern AUTHENTICATION = Pattern.compile(
            "password authentication failed|no password supplied|FATAL:\\s+role \"[^\"]*\" does not exist"
                    + "|no pg_hba.conf entry|authentication failed",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CONNECTION = Pattern.compile(
            "could not connect to server|connection to server .* failed|could not translate host name"
                    + "|Connection refused|timeout expired|server closed the connection unexpectedly",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_AN_ARCHIVE = Pattern.compile(
            "does not appear to be a valid archive|did not find magic string|unrecognized file format"
                    + "|could not read input file|unexpected end of file",
            Pattern.CASE_INSENSITIVE);

    private PgErrors() {}

    /**
     * What {@code child} ({@code tool}, working on {@code spec} or null) wrote to stdout, once it exited
     * with 0; its {@link #failed failure} otherwise.
     */
    static String output(ChildProcess child, String tool, ConnectionSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = child.stdout()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the child was killed or failed: its exit code and stderr say why
        }
        int code = child.waitFor();
        if (code != 0) {
            throw failed(tool, code, child.stderr(), spec);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The exception for {@code tool} exiting with {@code exitCode} while working on {@code spec} (null
     * when no server was involved).
     */
    static LifeboatException failed(String tool, int exitCode, String stderr, ConnectionSpec spec) {
        String said = stderr == null || stderr.isBlank() ? "(no message)" : stderr;
        String where = spec == null ? "" : " for " + spec.describe();
        String how = exitCode > 128 ? "was killed by signal " + (exitCode - 128) : "failed with exit code " + exitCode;
        String message = tool + where + " " + how + ": " + said;
        if (VERSION_MISMATCH.matcher(said).find()) {
            return new LifeboatException(
                    ErrorCode.TOOL_VERSION,
                    message,
                    "install PostgreSQL client tools at least as new as the server (or the archive), or set pg_bin_dir");
        }
        if (spec != null && MISSING_DATABASE.matcher(said).find()) {
            return new LifeboatException(
                    ErrorCode.NOT_FOUND, message, "check dbname, or create the database before restoring into it");
        }
        if (spec != null && AUTHENTICATION.matcher(said).find()) {
            return new LifeboatException(
                    ErrorCode.DATABASE_UNREACHABLE,
                    message,
                    "check user and the password source configured for this database (password_env, password_file"
                            + " or passfile) and the server's pg_hba.conf");
        }
        if (spec != null && CONNECTION.matcher(said).find()) {
            return new LifeboatException(
                    ErrorCode.DATABASE_UNREACHABLE,
                    message,
                    "check host and port, and that the server is running and accepts TCP connections");
        }
        if (NOT_AN_ARCHIVE.matcher(said).find()) {
            return new LifeboatException(
                    ErrorCode.TOOL_FAILED,
                    message,
                    "the input is not a complete pg_dump custom-format archive; verify the backup's checksum");
        }
        return new LifeboatException(ErrorCode.TOOL_FAILED, message, null);
    }
}
