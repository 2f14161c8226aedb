package dev.lifeboat.mcp.transport;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The DNS-rebinding and cross-site defence: the {@code Host} header must name this server (421
 * otherwise) and an {@code Origin}, when sent, must be one of its loopback origins or a configured one
 * (403 otherwise). Runs first, before authentication, on every path.
 *
 * <p>Why not the SDK's {@code DefaultServerTransportSecurityValidator} (mcp-core 2.1.0, read from its
 * bytecode): it does not do what this does. It compares Host and Origin with its lists by exact,
 * case-sensitive string equality (Host names are case-insensitive; ours lower-cases both sides); its
 * only pattern is a {@code :*} suffix that accepts <em>any</em> port, and it skips the Host check
 * entirely when no hosts are listed, whereas ours pins the port to the one actually bound (known only
 * after Jetty starts when {@code port: 0}) and lets an {@code allowed_hosts} name without a port mean
 * "on this server's port"; it lets a blank {@code Origin} through; and it runs inside the SDK servlets
 * after our token check, answering {@code sendError} with "Invalid Host header" / "Invalid Origin header",
 * where ours answers every path, before the token check, with Lifeboat's error bodies (docs/mcp.md). So
 * the SDK transports keep their default no-op validator and this class keeps the rules.
 */
final class HostOriginCheck {
    private final String bindHost;
    private final IntSupplier port;
    private final List<String> extraOrigins;
    private final List<String> extraHosts;

    /**
     * @param port the port the server listens on, asked at each request (0 in the settings picks one at
     *     start)
     */
    HostOriginCheck(String bindHost, IntSupplier port, List<String> extraOrigins, List<String> extraHosts) {
        this.bindHost = bindHost;
        this.port = port;
        this.extraOrigins =
                extraOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.extraHosts =
                extraHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Refuses a foreign Host (421) or a foreign Origin (403). */
    void check(HttpServletRequest request) throws HttpRejection {
        if (!hostAllowed(request.getHeader("Host"))) {
            throw new HttpRejection(421, "misdirected_request", "this server does not answer for that Host", null);
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin)) {
            throw new HttpRejection(403, "forbidden_origin", "requests from this Origin are not allowed", null);
        }
    }

    boolean hostAllowed(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name = h;
        String portPart = null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(0, end + 1);
            portPart = h.length() > end + 2 && h.charAt(end + 1) == ':' ? h.substring(end + 2) : null;
        } else if (h.indexOf(':') >= 0) {
            name = h.substring(0, h.indexOf(':'));
            portPart = h.substring(h.indexOf(':') + 1);
        }
        if (portPart != null && !portPart.equals(String.valueOf(port.getAsInt()))) {
            return extraHosts.contains(h);
        }
        return localNames().contains(name) || extraHosts.contains(name) || extraHosts.contains(h);
    }

    boolean originAllowed(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.equals("null") || o.isEmpty()) {
            return false;
        }
        if (extraOrigins.contains(o)) {
            return true;
        }
        try {
            URI u = URI.create(o);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return false;
            }
            String hostName = u.getHost();
            if (hostName == null) {
                return false;
            }
            if (hostName.contains(":") && !hostName.startsWith("[")) {
                hostName = "[" + hostName + "]";
            }
            return u.getPort() == port.getAsInt() && localNames().contains(hostName);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Set<String> localNames() {
        String b = bindHost.toLowerCase(Locale.ROOT);
        if (b.contains(":") && !b.startsWith("[")) {
            b = "[" + b + "]";
        }
        return Set.copyOf(List.of("localhost", "127.0.0.1", "[::1]", b));
    }
}
