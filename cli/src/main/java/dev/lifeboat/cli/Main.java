package dev.lifeboat.cli;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.Timeline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar lifeboat.jar ...}: runs one command and exits with its code. */
public final class Main {
    /** How long Ctrl-C waits for a cancelled operation to clean up (kill pg_dump, remove partial objects). */
    private static final long CLEANUP_SECONDS = 20;

    private Main() {}

    public static void main(String[] args) {
        Timeline.mark("main() entered (JVM started, launcher class loaded)");
        if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            // what picocli prints for --version, without picocli: its model costs ~0.15-0.2 s of CPU at
            // every start (Java 5 bytecode: in the build's static start-up archive, never in a dynamic one)
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            System.out.flush();
            Timeline.mark("exit 0");
            System.exit(0);
        }
        Logging.startInBackground();
        // before the interrupt hook: an early Ctrl-C must find the file cleanup in place
        ExitCleanup.install();
        CancelSignal cancel = new CancelSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(
                () -> {
                    cancel.cancel();
                    try {
                        // the JVM exits when this hook returns: give the operation time to clean up
                        finished.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "lifeboat-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        picocli.CommandLine commandLine = LifeboatCommand.commandLine(CliEnvironment.system(cancel), args);
        Timeline.mark("command line built (picocli model of the named command)");
        Logging.awaitStarted();
        int code = commandLine.execute(args);
        finished.countDown();
        Timeline.mark("exit " + code);
        System.exit(code);
    }
}
