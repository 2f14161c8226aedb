package dev.lifeboat.core.notify.mail;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.config.NotifyTarget;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends one plain-text mail through the target's SMTP server: one connection, STARTTLS as {@code
 * starttls} says (required by default: the mail and the password never go in clear), the server's
 * certificate checked against the JVM's trusted roots or the target's {@code ca_file}, and its name
 * against the certificate.
 */
public final class SmtpMail {
    private SmtpMail() {}

    /** A plain-text mail: subject, body and extra headers ({@code X-Lifeboat-Event}). */
    public record Letter(String subject, String text, Map<String, String> headers, Instant sent) {}

    /**
     * Why a mail was not accepted.
     *
     * @param problem what the server or the connection said
     * @param transientFailure whether trying again later could help (a connection problem, a 4xx reply)
     */
    public record Failure(String problem, boolean transientFailure) {}

    /**
     * Sends {@code letter} to every recipient of {@code mail}; null when the server accepted it.
     *
     * @param password the login's password (when the target has a username)
     * @param timeout how long connecting, and each read and write, may take
     */
    public static Failure send(NotifyTarget.Mail mail, Secret password, Duration timeout, Letter letter) {
        Session session = Session.getInstance(properties(mail, timeout));
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(mail.from(), true));
            for (String to : mail.to()) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            m.setSubject(letter.subject(), "UTF-8");
            m.setText(letter.text(), "UTF-8");
            m.setSentDate(Date.from(letter.sent()));
            for (Map.Entry<String, String> h : letter.headers().entrySet()) {
                m.setHeader(h.getKey(), h.getValue());
            }
            m.saveChanges();
            try (Transport t = session.getTransport("smtp")) {
                t.connect(
                        mail.host(), mail.port(), mail.username(), mail.username() == null ? null : password.reveal());
                t.sendMessage(m, m.getAllRecipients());
            }
            return null;
        } catch (AuthenticationFailedException e) {
            return new Failure("the SMTP server refused the login of " + mail.username() + ": " + text(e), false);
        } catch (SMTPSendFailedException e) {
            return new Failure("SMTP " + e.getReturnCode() + ": " + text(e), e.getReturnCode() / 100 == 4);
        } catch (SMTPAddressFailedException e) {
            return new Failure("SMTP " + e.getReturnCode() + ": " + text(e), e.getReturnCode() / 100 == 4);
        } catch (MessagingException e) {
            return new Failure(text(e), causedByIo(e));
        }
    }

    private static Properties properties(NotifyTarget.Mail mail, Duration timeout) {
        Properties p = new Properties();
        String millis = Long.toString(timeout.toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", mail.host());
        p.put("mail.smtp.port", Integer.toString(mail.port()));
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        p.put("mail.smtp.from", mail.from());
        p.put("mail.smtp.auth", Boolean.toString(mail.username() != null));
        boolean tls = mail.startTls() != NotifyTarget.StartTls.NONE;
        p.put("mail.smtp.starttls.enable", Boolean.toString(tls));
        p.put("mail.smtp.starttls.required", Boolean.toString(mail.startTls() == NotifyTarget.StartTls.REQUIRED));
        // the certificate must name the host we asked for: STARTTLS to anyone would protect nothing
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (tls && mail.caFile() != null) {
            p.put("mail.smtp.ssl.socketFactory", trusting(mail));
        }
        return p;
    }

    /** A socket factory that trusts the certificates of {@code ca_file} only. */
    private static SSLSocketFactory trusting(NotifyTarget.Mail mail) {
        try (InputStream in = Files.newInputStream(mail.caFile())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "ca_file " + mail.caFile() + " holds no PEM certificate",
                        "point it at the CA certificate(s) that signed the SMTP server's certificate",
                        null);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read ca_file " + mail.caFile() + ": " + e.getMessage(),
                    "point it at the PEM certificate(s) that signed the SMTP server's certificate",
                    e);
        }
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() != t ? t.getCause() : null) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                // an untrusted certificate or a wrong name: the same next time
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
            if (t instanceof MessagingException me
                    && me.getNextException() != null
                    && me.getNextException() != t.getCause()) {
                if (causedByIo(me.getNextException())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The exception's message and its cause's, on one line. */
    private static String text(Exception e) {
        String s = e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).strip();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !s.contains(cause.getMessage())) {
            s += " (" + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage().strip() + ")";
        }
        return s.replaceAll("\\s+", " ");
    }
}
