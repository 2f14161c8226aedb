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
 * One POST to a target, repeated on failure: a connection error, a timeout, a 5xx or a 429 is
 * retried after {@code retry_delay}, doubled each time, up to {@code retries} times; any other answer
 * outside 2xx (a wrong URL, a refused signature) is final at once, since repeating it changes nothing.
 */
final class Delivery {
    private Delivery() {}

    /** What became of a delivery: null when it was accepted, else why not, in words. */
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
        String last = null;
        Duration delay = target.retryDelay();
        for (int attempt = 0; attempt <= target.retries(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2);
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    return null;
                }
                last = "HTTP " + status;
                if (status < 500 && status != 429) {
                    return last + " (not retried)";
                }
            } catch (IOException e) {
                // the exception's text may hold the URL; the redactor masks its secret part when logged
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        return last + " after " + (target.retries() + 1) + " attempts";
    }
}
