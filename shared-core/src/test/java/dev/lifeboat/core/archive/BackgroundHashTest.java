package dev.lifeboat.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundHashTest {

    @Test
    void theBackgroundPassYieldsTheFilesSizeChecksumAndFirstBytes(@TempDir Path dir) throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(data);
        System.arraycopy("PGDMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, data, 0, 5);
        Path file = Files.write(dir.resolve("dump"), data);
        AtomicLong reported = new AtomicLong();
        try (BackgroundHash h = BackgroundHash.start(file, reported::set)) {
            var done = h.await();
            assertThat(done.count()).isEqualTo(data.length);
            assertThat(done.sha256())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            assertThat(done.hasCustomArchiveMagic()).isTrue();
        }
        assertThat(reported.get()).isPositive();
    }

    @Test
    void aMissingFileFailsAtTheStartAsTheInlinePassWould(@TempDir Path dir) {
        assertThatThrownBy(() -> BackgroundHash.start(dir.resolve("gone"), n -> {}))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anInterruptedWaitIsACancelThatStopsThePass(@TempDir Path dir) throws Exception {
        // a FIFO nobody writes to: the pass blocks until it is stopped
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Thread waiter = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            waiter.interrupt();
        });
        // opening a FIFO for reading blocks until a writer appears: open it with a writer present
        Process writer = new ProcessBuilder("sh", "-c", "exec sleep 30 > '" + fifo + "'").start();
        try {
            try (BackgroundHash h = BackgroundHash.start(fifo, n -> {})) {
                interrupter.start();
                assertThatThrownBy(h::await).isInstanceOf(InterruptedIOException.class);
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
        } finally {
            writer.destroyForcibly();
            interrupter.join();
        }
    }
}
