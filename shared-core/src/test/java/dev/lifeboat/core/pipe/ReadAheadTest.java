package dev.lifeboat.core.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link ReadAhead}: the source's bytes, end and failure in order, from a thread of its own. */
class ReadAheadTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A source handing out a few odd-sized pieces per read. */
    private static InputStream trickling(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            private int turn;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + (turn++ * 7919) % 100_000));
            }
        };
    }

    /** Reads {@code in} to its end in reads of varying sizes (single bytes too). */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        for (int turn = 0; ; turn++) {
            if (turn % 5 == 0) {
                int b = in.read();
                if (b == -1) {
                    return out.toByteArray();
                }
                out.write(b);
                continue;
            }
            int n = in.read(buf, 0, 1 + (turn * 31) % buf.length);
            if (n == -1) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
        }
    }

    @Test
    void theSourcesBytesArriveWholeAndInOrderThenTheEndAgainAndAgain() throws IOException {
        byte[] data = random(3 * ReadAhead.BUFFER * ReadAhead.DEPTH + 12345);
        try (ReadAhead r = ReadAhead.start(trickling(data), "test")) {
            assertThat(readAll(r)).isEqualTo(data);
            assertThat(r.read()).isEqualTo(-1);
            assertThat(r.read(new byte[10], 0, 10)).isEqualTo(-1);
        }
        try (ReadAhead empty = ReadAhead.start(new ByteArrayInputStream(new byte[0]), "test")) {
            assertThat(empty.read()).isEqualTo(-1);
        }
    }

    @Test
    void theSourcesFailureComesAfterTheBytesBeforeItAndAgainOnEveryRead() throws IOException {
        byte[] data = random(ReadAhead.BUFFER + 999);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n == -1) {
                    throw new IOException("the store went away");
                }
                return n;
            }
        };
        try (ReadAhead r = ReadAhead.start(failing, "test")) {
            byte[] got = r.readNBytes(data.length);
            assertThat(got).isEqualTo(data);
            assertThatThrownBy(r::read).isInstanceOf(IOException.class).hasMessage("the store went away");
            assertThatThrownBy(() -> r.read(new byte[5], 0, 5)).hasMessage("the store went away");
        }
    }

    @Test
    void anUncheckedFailureOfTheSourceIsThrownAsItCame() throws IOException {
        InputStream failing = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("decoder bug");
            }
        };
        try (ReadAhead r = ReadAhead.start(failing, "test")) {
            assertThatThrownBy(r::read)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("decoder bug");
        }
    }

    @Test
    void whatTheSourcesReadsChangedIsSeenOnceTheEndArrived() throws IOException {
        byte[] data = random(2 * ReadAhead.BUFFER + 17);
        long[] counted = new long[1];
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    counted[0] += n; // a plain field, written by the read-ahead's thread
                }
                return n;
            }
        };
        try (ReadAhead r = ReadAhead.start(counting, "test")) {
            r.transferTo(OutputStream.nullOutputStream());
            assertThat(counted[0]).isEqualTo(data.length);
        }
    }

    @Test
    void closingStopsTheThreadAndClosesTheSource() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 7);
                return len;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ReadAhead r = ReadAhead.start(endless, "read-ahead-close-test");
        assertThat(r.read()).isEqualTo(7);
        r.close();
        assertThat(closed).isTrue();
        assertThatThrownBy(r::read).isInstanceOf(IOException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threadNamed("read-ahead-close-test") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(threadNamed("read-ahead-close-test")).as("the thread ended").isFalse();
    }

    @Test
    void aReaderInterruptedWhileWaitingGetsAnInterruptedIoException() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream silent = new PipedInputStream(writer);
        try (ReadAhead r = ReadAhead.start(silent, "test")) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    r.read();
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            reader.start();
            Thread.sleep(100);
            reader.interrupt();
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
        } finally {
            writer.close();
        }
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
