package dev.lifeboat.mcp;

import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import java.nio.file.Path;

/**
 * {@code lifeboat-mcp [--transport stdio|http] [--config FILE] [--bind ADDR] [--port N] [--read-only] [--schedules]}, and
 * {@code lifeboat-mcp hash-token} to make a bearer token and the hash to put in lifeboat.yaml.
 */
public final class McpMain {
    private McpMain() {}

    public static void main(String[] args) {
        Timeline.mark("main() entered (JVM started, launcher class loaded)");
        boolean printsToStdout = java.util.Arrays.stream(args)
                .anyMatch(a -> a.equals("hash-token") || a.equals("--help") || a.equals("-h"));
        if (!printsToStdout) {
            // before any class touches logging: logback prints configuration warnings to System.out, and in
            // stdio mode stdout belongs to JSON-RPC (the runner writes replies to the stdout descriptor itself)
            System.setOut(System.err);
        }
        ExitCleanup.install();
        int code = run(args);
        System.exit(code);
    }

    static int run(String[] args) {
        String transport = "stdio";
        Path config = null;
        String bind = null;
        Integer port = null;
        boolean readOnly = false;
        boolean schedules = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "hash-token" -> {
                        String token = TokenAuthenticator.newToken();
                        System.out.println("token:  " + token);
                        System.out.println("sha256: " + TokenAuthenticator.sha256(token));
                        System.out.println("Give the token to the client; put only the sha256 in lifeboat.yaml under"
                                + " mcp.tokens.");
                        return 0;
                    }
                    case "--transport", "-t" -> transport = value(args, ++i, a);
                    case "--config", "-c" -> config = Path.of(value(args, ++i, a));
                    case "--bind" -> bind = value(args, ++i, a);
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--read-only" -> readOnly = true;
                    case "--schedules" -> schedules = true;
                    case "--help", "-h" -> {
                        System.err.println("usage: lifeboat-mcp [--transport stdio|http] [--config FILE]"
                                + " [--bind ADDR] [--port N] [--read-only] [--schedules] | hash-token");
                        return 0;
                    }
                    default -> {
                        if (a.startsWith("--transport=")) {
                            transport = a.substring("--transport=".length());
                        } else if (a.startsWith("--config=")) {
                            config = Path.of(a.substring("--config=".length()));
                        } else {
                            System.err.println("lifeboat-mcp: unknown argument '" + a + "' (try --help)");
                            return 2;
                        }
                    }
                }
            }
            McpServerRunner.run(
                    new McpServerRunner.Options(transport, config, bind, port, readOnly, schedules), System.getenv());
            return 0;
        } catch (LifeboatException e) {
            System.err.println("lifeboat-mcp: " + e.code() + ": " + e.getMessage()
                    + (e.hint() == null ? "" : "\nhint: " + dev.lifeboat.core.base.Remedy.neutral(e.hint())));
            return 2;
        } catch (NumberFormatException e) {
            System.err.println("lifeboat-mcp: --port needs a number");
            return 2;
        } catch (Exception e) {
            System.err.println("lifeboat-mcp: " + Redactor.global().redact(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
