package dev.lifeboat.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Mail notifications against a real SMTP server in the test's process (subethasmtp): STARTTLS with a
 * certificate made for the test and trusted through {@code ca_file}, a login whose password comes from
 * the environment, what the mail says, and that the password appears in no mail, log or audit line.
 */
class MailNotificationsTest {
    private static final String USER = "lifeboat";
    /** The canary: if this shows up anywhere but the SMTP login, a secret leaked. */
    private static final String PASSWORD = "canary-smtp-pw-Zq81xK";

    @TempDir
    static Path certs;

    private static SSLContext serverTls;
    private static Path caPem;

    @TempDir
    Path dir;

    private SMTPServer server;
    private final List<Mail> mails = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger logins = new AtomicInteger();

    record Mail(String from, String to, String data) {}

    /** A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool; its PEM is the CA file. */
    @BeforeAll
    static void certificate() throws Exception {
        Path ks = certs.resolve("server.p12");
        keytool(
                ks,
                "-genkeypair",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2");
        caPem = certs.resolve("ca.pem");
        keytool(ks, "-exportcert", "-rfc", "-file", caPem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
    }

    /** The JDK's keytool with {@code options} on the PKCS12 key store {@code ks} (password changeit, alias smtp). */
    private static void keytool(Path ks, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), options[0]));
        command.addAll(List.of(
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "smtp"));
        command.addAll(List.of(options).subList(1, options.length));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private void start(boolean tls) throws IOException {
        SMTPServer.Builder b = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        mails.add(new Mail(from, recipient, new String(data.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                })
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    logins.incrementAndGet();
                    if (!USER.equals(user) || !PASSWORD.equals(password)) {
                        throw new LoginFailedException();
                    }
                }));
        if (tls) {
            b.enableTLS().requireTLS().startTlsSocketFactory(serverTls);
        }
        server = b.build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private ServiceOverFakes fakes(String emailYaml, String targetExtra) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .env("SMTP_PASSWORD", PASSWORD)
                .raw("notify:\n  oncall:\n    email: {host: 127.0.0.1, port: " + server.getPortAllocated()
                        + ", from: lifeboat@example.com, to: [ops@example.com, dba@example.com]" + emailYaml + "}\n"
                        + targetExtra)
                .build();
    }

    private static final String LOGIN = ", username: " + USER + ", password_env: SMTP_PASSWORD";

    @Test
    void aFailureArrivesByMailOverStartTlsWithALoginAndThePasswordIsNowhereElse() throws IOException {
        start(true);
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (ServiceOverFakes f = fakes(", ca_file: " + caPem + LOGIN, "    retries: 0\n")) {
            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app"))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.code().name()).isEqualTo("DATABASE_UNREACHABLE"));
            assertThat(mails).extracting(Mail::to).containsExactlyInAnyOrder("ops@example.com", "dba@example.com");
            Mail m = mails.get(0);
            assertThat(m.data()).contains("To: ops@example.com, dba@example.com");
            assertThat(m.from()).isEqualTo("lifeboat@example.com");
            assertThat(m.data())
                    .contains("Subject: [lifeboat] FAILED: backup of app")
                    .contains("X-Lifeboat-Event: failure")
                    .contains("Backup of database app FAILED")
                    .contains("error: DATABASE_UNREACHABLE: ")
                    .contains("lifeboat status")
                    .doesNotContain(PASSWORD);
            assertThat(logins).hasValue(1);
            String audit = Files.readString(f.stateDir().resolve("audit.jsonl"));
            assertThat(audit).doesNotContain(PASSWORD).doesNotContain("\"operation\":\"notify\"");
            assertThat(f.service().inventory().toString()).doesNotContain(PASSWORD);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD));
        assertThat(dev.lifeboat.core.base.Redactor.global().redact("login " + PASSWORD))
                .doesNotContain(PASSWORD);
    }

    @Test
    void aSuccessArrivesWhenAsked() throws IOException {
        start(true);
        try (ServiceOverFakes f = fakes(", ca_file: " + caPem + LOGIN, "    events: [success]\n")) {
            f.backup("app");
            assertThat(mails).hasSize(2);
            assertThat(mails.get(0).data())
                    .contains("Subject: [lifeboat] OK: backup of app")
                    .contains("Backup of database app succeeded");
        }
    }

    @Test
    void aServerWithoutStartTlsGetsNothingUnderTheDefaultAndTheBackupStands() throws IOException {
        start(false);
        try (ServiceOverFakes f = fakes(LOGIN, "    events: [success]\n    retries: 2\n    retry_delay: PT0.01S\n")) {
            assertThat(f.backup("app")).isNotNull();
            assertThat(mails).isEmpty();
            assertThat(logins).hasValue(0);
            Map<String, Object> line = f.lastAudit();
            assertThat(line).containsEntry("operation", "notify").containsEntry("target", "oncall");
            assertThat((String) line.get("detail")).contains("STARTTLS").contains("(not retried)");
        }
    }

    @Test
    void optionalStartTlsSendsInClearToARelayWithoutIt() throws IOException {
        start(false);
        try (ServiceOverFakes f = fakes(", starttls: optional", "    events: [success]\n")) {
            f.backup("app");
            assertThat(mails).hasSize(2);
        }
    }

    @Test
    void aCertificateNobodyTrustsIsRefused() throws IOException {
        start(true);
        try (ServiceOverFakes f = fakes(LOGIN, "    events: [success]\n    retries: 0\n")) {
            f.backup("app");
            assertThat(mails).isEmpty();
            assertThat(logins).hasValue(0);
            assertThat((String) f.lastAudit().get("detail"))
                    .contains("PKIX path building failed")
                    .contains("(not retried)");
        }
    }

    @Test
    void aRefusedLoginIsNotRetriedAndItsPasswordNotWritten() throws IOException {
        start(true);
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .env("SMTP_PASSWORD", PASSWORD + "-wrong")
                .raw("notify:\n  oncall:\n    email: {host: 127.0.0.1, port: " + server.getPortAllocated()
                        + ", from: lifeboat@example.com, to: ops@example.com, ca_file: " + caPem + LOGIN
                        + "}\n    events: [success]\n    retries: 3\n    retry_delay: PT0.01S\n")
                .build()) {
            f.backup("app");
            assertThat(logins).hasValue(1);
            assertThat(mails).isEmpty();
            String detail = (String) f.lastAudit().get("detail");
            assertThat(detail).contains("refused the login of lifeboat").contains("(not retried)");
            assertThat(Files.readString(f.stateDir().resolve("audit.jsonl"))).doesNotContain(PASSWORD);
        }
    }

    @Test
    void anUnsetPasswordVariableSendsNothingAndSaysWhich() throws IOException {
        start(true);
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("notify:\n  oncall:\n    email: {host: 127.0.0.1, port: " + server.getPortAllocated()
                        + ", from: lifeboat@example.com, to: ops@example.com" + LOGIN + "}\n    events: [success]\n")
                .build()) {
            f.backup("app");
            assertThat(mails).isEmpty();
            assertThat((String) f.lastAudit().get("detail")).contains("password_env SMTP_PASSWORD is not set");
        }
    }

    @Test
    void badMailSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ServiceOverFakes.in(dir)
                        .database("app", Map.of("accounts", 3))
                        .raw("notify:\n"
                                + "  a: {email: {from: 'x@y', to: 'Ops <ops@example.com>'}}\n"
                                + "  b: {email: {host: h, from: a@b.c, to: [], username: u}}\n"
                                + "  c: {email: {host: h, from: a@b.c, to: a@b.c, starttls: never, port: 0}}\n"
                                + "  d: {email: {host: h, from: a@b.c, to: a@b.c, username: u, password_env: P,"
                                + " starttls: none}}\n"
                                + "  e: {email: {host: h, from: a@b.c, to: a@b.c}, secret_env: K}\n"
                                + "  f: {email: {host: h, from: a@b.c, to: a@b.c, password: hunter2}}\n")
                        .build())
                .isInstanceOf(LifeboatException.class)
                .hasMessageContaining("notify.a.email.host: required")
                .hasMessageContaining("notify.a.email.to: 'Ops <ops@example.com>' is not a plain address")
                .hasMessageContaining("notify.b.email.to: must name at least one recipient")
                .hasMessageContaining("notify.b.email: set both 'username' and 'password_env'")
                .hasMessageContaining("notify.c.email.starttls: 'never' is not one of")
                .hasMessageContaining("notify.c.email.port: '0' is not a port")
                .hasMessageContaining("notify.d.email.starttls: 'none' would send the SMTP password in clear")
                .hasMessageContaining("notify.e.secret_env: only a webhook's body is signed")
                .hasMessageContaining("notify.f.email.password: ")
                .hasMessageContaining("(known: ca_file, from, host, password_env, port, starttls, to, username)")
                .hasMessageNotContaining("hunter2");
    }
}
