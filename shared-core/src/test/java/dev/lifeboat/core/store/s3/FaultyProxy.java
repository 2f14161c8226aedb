package dev.lifeboat.core.store.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy in front of the S3 server that can break the connection in the middle of a
 * request body, or answer a request itself, for requests whose request line matches. It frames
 * HTTP/1.1 requests by Content-Length so it knows where each request starts; responses pass through
 * untouched.
 */
final class FaultyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicInteger faultsFired = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bodyBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Fault fault;

    /** What to do to matching requests: cut after {@code cutAfter} body bytes, or send {@code answer}. */
    private record Fault(Predicate<String> requestLine, long cutAfter, String answer, AtomicInteger remaining) {}

    FaultyProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::accept, "faulty-proxy");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Cuts the next {@code times} requests matching {@code requestLine} after {@code bytes} body bytes. */
    void cut(Predicate<String> requestLine, long bytes, int times) {
        fault = new Fault(requestLine, bytes, null, new AtomicInteger(times));
    }

    /** Answers matching requests with {@code response} (a whole HTTP response) instead of forwarding them. */
    void answer(Predicate<String> requestLine, String response) {
        fault = new Fault(requestLine, -1, response, new AtomicInteger(Integer.MAX_VALUE));
    }

    /** Stops injecting faults and resets the count of faults fired. */
    void heal() {
        fault = null;
        faultsFired.set(0);
    }

    int faultsFired() {
        return faultsFired.get();
    }

    /** Request body bytes forwarded to the server so far. */
    long bodyBytes() {
        return bodyBytes.get();
    }

    static Predicate<String> uploads() {
        return line -> line.startsWith("PUT ");
    }

    static Predicate<String> completions() {
        return line -> line.startsWith("POST ") && line.contains("uploadId=");
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Thread up = new Thread(() -> requests(client, upstream), "faulty-proxy-up");
                Thread down = new Thread(() -> pipe(upstream, client), "faulty-proxy-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void requests(Socket client, Socket upstream) {
        try (client;
                upstream) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = upstream.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String line = text.substring(0, text.indexOf("\r\n"));
                String lower = text.toLowerCase(Locale.ROOT);
                Fault f = fault;
                boolean hit =
                        f != null && f.requestLine().test(line) && f.remaining().getAndDecrement() > 0;
                if (hit) {
                    faultsFired.incrementAndGet();
                }
                if (hit && f.answer() != null) {
                    upstream.close();
                    OutputStream back = client.getOutputStream();
                    if (lower.contains("expect: 100-continue")) {
                        back.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        back.flush();
                    }
                    in.skipNBytes(contentLength(lower));
                    back.write(f.answer().getBytes(StandardCharsets.UTF_8));
                    back.flush();
                    return;
                }
                out.write(head);
                out.flush();
                if (lower.contains("transfer-encoding: chunked")) {
                    in.transferTo(out);
                    return;
                }
                long remaining = contentLength(lower);
                long cutAfter = hit ? f.cutAfter() : Long.MAX_VALUE;
                long sent = 0;
                byte[] buf = new byte[8192];
                while (remaining > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, Math.min(remaining, cutAfter - sent)));
                    if (n < 0) {
                        return;
                    }
                    out.write(buf, 0, n);
                    bodyBytes.addAndGet(n);
                    sent += n;
                    remaining -= n;
                    if (sent >= cutAfter) {
                        out.flush();
                        // a reset, as a dropped NAT mapping or a dying load balancer would give
                        client.setSoLinger(true, 0);
                        upstream.setSoLinger(true, 0);
                        return;
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // either side went away: so does the connection
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed by the other direction
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(String lowerHead) {
        int i = lowerHead.indexOf("\r\ncontent-length:");
        if (i < 0) {
            return 0;
        }
        int end = lowerHead.indexOf("\r\n", i + 2);
        return Long.parseLong(
                lowerHead.substring(i + "\r\ncontent-length:".length(), end).trim());
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
