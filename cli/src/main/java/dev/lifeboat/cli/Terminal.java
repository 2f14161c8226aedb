package dev.lifeboat.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the CLI may know about the person in front of it. */
public interface Terminal {

    /** Whether a person can be asked a question (stdin and stdout are a terminal). */
    boolean interactive();

    /** Whether stderr is a terminal, so that a redrawn progress line is welcome there. */
    boolean stderrIsTerminal();

    /** Asks a question on the terminal; null at end of input or when there is no terminal. */
    String readLine(String prompt);

    /** No terminal: a script, a pipe, a test. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public boolean stderrIsTerminal() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            return null;
        }
    };

    /** The process's own terminal, if it has one. */
    static Terminal system() {
        Console console = System.console();
        boolean stderrTty = isTty(Path.of("/proc/self/fd/2"));
        return new Terminal() {
            @Override
            public boolean interactive() {
                return console != null;
            }

            @Override
            public boolean stderrIsTerminal() {
                return stderrTty;
            }

            @Override
            public String readLine(String prompt) {
                return console == null ? null : console.readLine("%s", prompt);
            }
        };
    }

    private static boolean isTty(Path fd) {
        // Java has no isatty for stderr; on Linux the descriptor links to /dev/pts/N or /dev/ttyN
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
