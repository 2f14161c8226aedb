package dev.lifeboat.core.notify;

import dev.lifeboat.core.config.NotifyTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One notification, repeated on failure: an attempt whose failure may pass (a connection error, a
 * timeout, an HTTP 5xx or 429, an SMTP 4xx reply) is retried after {@code retry_delay}, doubled each
 * time, up to {@code retries} times; any other refusal (a wrong URL, a refused signature or login, an
 * unknown recipient) is final at once, since repeating it changes nothing.
 */
final class Delivery {
    private Delivery() {}

    /** Why one attempt was not accepted, and whether trying again could help. */
    record Refusal(String problem, boolean retry) {}

    /** One attempt: null when the target accepted it. */
    @FunctionalInterface
    interface Attempt {
        Refusal once() throws InterruptedException;
    }

    /** What became of a delivery: null when it was accepted, else why not, in words. */
    static String withRetries(NotifyTarget target, Attempt attempt) throws InterruptedException {
        String last = null;
        Duration delay = target.retryDelay();
        for (int n = 0; n <= target.retries(); n++) {
            if (n > 0) {
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2);
            }
            Refusal r = attempt.once();
            if (r == null) {
                return null;
            }
            last = r.problem();
            if (!r.retry()) {
                return last + " (not retried)";
            }
        }
        return last + " after " + (target.retries() + 1) + " attempts";
    }

    /** A POST of {@code body} to {@code url}, with retries. */
    static String post(NotifyTarget target, URI url, String contentType, byte[] body, Map<String, String> headers)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(target.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(target.timeout())
                .header("Content-Type", contentType)
                .header("User-Agent", "lifeboat/" + dev.lifeboat.core.base.Version.get())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpRequest request = b.build();
        return withRetries(target, () -> {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    return null;
                }
                return new Refusal("HTTP " + status, status >= 500 || status == 429);
            } catch (IOException e) {
                // the exception's text may hold the URL; the redactor masks its secret part when logged
                return new Refusal(
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
            }
        });
    }
}
