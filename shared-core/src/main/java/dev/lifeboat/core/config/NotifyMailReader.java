package dev.lifeboat.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A mail target's {@code email:} mapping: {@code host}, {@code port}, {@code starttls}, {@code from},
 * {@code to}, {@code username}, {@code password_env}, {@code ca_file}. The password itself never
 * appears in the file: it is read from {@code password_env} when a mail is sent (and registered with
 * the redactor then, like every password).
 */
final class NotifyMailReader {
    private static final Set<String> KEYS =
            Set.of("host", "port", "starttls", "from", "to", "username", "password_env", "ca_file");
    /** A bare address: no display name, nothing that could end a header or add a recipient. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;:\"()\\[\\]\\\\]+@[A-Za-z0-9.-]+");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+");
    /** The submission port, where STARTTLS is the rule. */
    static final int DEFAULT_PORT = 587;

    private NotifyMailReader() {}

    static NotifyTarget.Mail read(ConfigNode target) {
        ConfigNode node = target.section(
                "email", "must be a mapping: {host, port, starttls, from, to, username, password_env, ca_file}");
        if (node == null) {
            return null;
        }
        int before = node.problems().size();
        node.allowOnly(KEYS);
        String host = node.required("host", "the SMTP server's name or address");
        if (host != null && !HOST.matcher(host).matches()) {
            node.problem("host", "'" + host + "' is not a host name or address");
        }
        Integer port = node.integer("port", 1, 65535, "is not a port (1-65535)");
        NotifyTarget.StartTls startTls = node.choice(
                "starttls", NotifyTarget.StartTls.class, "is not one of required (the default), optional, none");
        String from = address(node, "from", node.string("from"));
        if (from == null && !node.isSet("from")) {
            node.problem("from", "required: the sender's address, e.g. lifeboat@example.com");
        }
        List<String> to = recipients(node);
        String username = node.string("username");
        String passwordEnv = node.string("password_env");
        node.requireEnvName("password_env", passwordEnv);
        if ((username == null) != (passwordEnv == null)) {
            node.problem("set both 'username' and 'password_env' (the variable holding the password), or neither");
        }
        if (passwordEnv != null && startTls == NotifyTarget.StartTls.NONE) {
            node.problem("starttls", "'none' would send the SMTP password in clear: use required (or optional)");
        }
        Path caFile = node.path("ca_file");
        if (caFile != null && !Files.isRegularFile(caFile)) {
            node.problem("ca_file", caFile + " does not exist (PEM certificates to trust for the server)");
        }
        if (node.problems().size() > before) {
            return null;
        }
        return new NotifyTarget.Mail(
                host,
                port == null ? DEFAULT_PORT : port,
                startTls == null ? NotifyTarget.StartTls.REQUIRED : startTls,
                from,
                to,
                username,
                passwordEnv,
                caFile);
    }

    private static List<String> recipients(ConfigNode node) {
        JsonNode v = node.get("to");
        List<String> out = new ArrayList<>();
        if (v == null) {
            node.problem("to", "required: the recipients' addresses (one, or a list)");
            return out;
        }
        if (v.isObject()) {
            node.problem("to", "must be an address or a list of addresses");
            return out;
        }
        for (JsonNode a : v.isArray() ? v : List.of(v)) {
            String text = a.isContainer() ? a.toString() : a.asString().trim();
            String ok = address(node, "to", text);
            if (ok != null) {
                out.add(ok);
            }
        }
        if (out.isEmpty() && v.isArray() && v.isEmpty()) {
            node.problem("to", "must name at least one recipient");
        }
        return out;
    }

    private static String address(ConfigNode node, String key, String text) {
        if (text == null) {
            return null;
        }
        if (!ADDRESS.matcher(text).matches()) {
            node.problem(key, "'" + text + "' is not a plain address like ops@example.com");
            return null;
        }
        return text;
    }
}
