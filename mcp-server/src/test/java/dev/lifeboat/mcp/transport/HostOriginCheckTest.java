package dev.lifeboat.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Host and Origin rules, including where they differ from the SDK's
 * DefaultServerTransportSecurityValidator (see {@link HostOriginCheck}): case-insensitive, the port
 * pinned to the bound one, allowed host names without a port, blank Origins refused.
 */
class HostOriginCheckTest {
    static final int PORT = 8765;
    final HostOriginCheck check = new HostOriginCheck(
            "127.0.0.1",
            () -> PORT,
            List.of("https://Console.example.com"),
            List.of("backups.internal", "proxy.example:443"));

    @Test
    void hostMustNameThisServerOnItsPort() {
        assertThat(check.hostAllowed("localhost:" + PORT)).isTrue();
        assertThat(check.hostAllowed("LocalHost:" + PORT)).isTrue();
        assertThat(check.hostAllowed("127.0.0.1:" + PORT)).isTrue();
        assertThat(check.hostAllowed("[::1]:" + PORT)).isTrue();
        assertThat(check.hostAllowed("localhost")).isTrue();
        assertThat(check.hostAllowed("localhost:1")).isFalse();
        assertThat(check.hostAllowed("evil.example:" + PORT)).isFalse();
        assertThat(check.hostAllowed("")).isFalse();
        assertThat(check.hostAllowed(null)).isFalse();
        assertThat(check.hostAllowed("[::1")).isFalse();
    }

    @Test
    void allowedHostsWithoutAPortMeanThisServersPort() {
        assertThat(check.hostAllowed("backups.internal")).isTrue();
        assertThat(check.hostAllowed("Backups.Internal:" + PORT)).isTrue();
        assertThat(check.hostAllowed("backups.internal:9999")).isFalse();
        assertThat(check.hostAllowed("proxy.example:443")).isTrue();
        assertThat(check.hostAllowed("proxy.example:444")).isFalse();
    }

    @Test
    void originMustBeALoopbackOriginOnThisPortOrAConfiguredOne() {
        assertThat(check.originAllowed("http://localhost:" + PORT)).isTrue();
        assertThat(check.originAllowed("HTTP://LOCALHOST:" + PORT)).isTrue();
        assertThat(check.originAllowed("https://127.0.0.1:" + PORT)).isTrue();
        assertThat(check.originAllowed("http://[::1]:" + PORT)).isTrue();
        assertThat(check.originAllowed("https://console.example.com")).isTrue();
        assertThat(check.originAllowed("http://localhost")).isFalse();
        assertThat(check.originAllowed("http://localhost:1")).isFalse();
        assertThat(check.originAllowed("http://evil.example:" + PORT)).isFalse();
        assertThat(check.originAllowed("file://localhost:" + PORT)).isFalse();
        assertThat(check.originAllowed("null")).isFalse();
        assertThat(check.originAllowed(" ")).isFalse();
    }

    @Test
    void anIpv6BindAddressIsOneOfTheServersNames() {
        HostOriginCheck v6 = new HostOriginCheck("::1", () -> PORT, List.of(), List.of());
        assertThat(v6.hostAllowed("[::1]:" + PORT)).isTrue();
        assertThat(v6.originAllowed("http://[::1]:" + PORT)).isTrue();
    }
}
