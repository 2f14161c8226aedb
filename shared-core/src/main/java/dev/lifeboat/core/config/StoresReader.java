package dev.lifeboat.core.config;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.crypto.AgeRecipients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code stores:}: each store's {@code uri}, its client-side {@code encryption}, its
 * {@code retention} and {@code compression}, and every other key as an adapter option. A file store
 * takes no options; an object store's are checked by its adapter after loading
 * ({@code BackupStores.checkSettings}, which {@code BackupService.open} runs), since only the
 * adapter knows them.
 */
final class StoresReader {
    private static final Set<String> NOT_OPTIONS =
            Set.of("uri", "encryption", "retention", "compression", "compression_level");

    private StoresReader() {}

    /** The configured stores by name; a store whose URI is bad is left out (and reported). */
    static Map<String, StoreConfig> read(ConfigNode top) {
        Map<String, StoreConfig> stores = new LinkedHashMap<>();
        ConfigNode section = top.section("stores", "must be a mapping of store names to settings");
        if (section != null) {
            stores.putAll(section.readEntries((name, value) -> store(section, name, value), StoreConfig::name));
        }
        return stores;
    }

    private static StoreConfig store(ConfigNode section, String name, JsonNode value) {
        ConfigNode node = section.entry(name, value, "store", false, "must be a mapping with at least 'uri'");
        if (node == null) {
            return null;
        }
        String uri = node.required("uri", "where backups go, e.g. file:///var/backups/lifeboat");
        if (uri == null) {
            return null;
        }
        StoreEncryption encryption = encryption(node);
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            if (NOT_OPTIONS.contains(e.getKey())) {
                continue;
            }
            if (e.getValue().isContainer()) {
                node.problem(e.getKey(), "must be a single value");
            } else {
                options.put(e.getKey(), e.getValue().asString());
            }
        }
        StoreUri parsed;
        try {
            parsed = StoreUri.parse(node.locations().expandHome(uri), node.at("uri"));
        } catch (LifeboatException e) {
            node.problems().add(e.getMessage());
            return null;
        }
        if (parsed.scheme().equals("file") && !options.isEmpty()) {
            node.problem("unknown setting(s) " + options.keySet() + " for a file store (only 'uri')");
        }
        return new StoreConfig(
                name, parsed, options, encryption, SharedSettings.retention(node), SharedSettings.compression(node));
    }

    /** The {@code encryption:} mapping of a store: recipients, and where the identity comes from. */
    private static StoreEncryption encryption(ConfigNode store) {
        ConfigNode node = store.section(
                "encryption", "must be a mapping with 'recipients' and/or 'identity_file' / 'identity_env'");
        if (node == null) {
            return null;
        }
        node.allowOnly(Set.of("recipients", "identity_file", "identity_env"));
        List<String> recipients = new ArrayList<>();
        JsonNode r = node.get("recipients");
        if (r != null) {
            if (r.isArray()) {
                r.forEach(v -> recipients.add(v.asString().trim()));
            } else if (r.isContainer()) {
                node.problem("recipients", "must be a list of age1... public keys");
            } else {
                recipients.add(r.asString().trim());
            }
        }
        if (!recipients.isEmpty()) {
            try {
                AgeRecipients.parse(recipients, node.at("recipients"));
            } catch (LifeboatException e) {
                node.problems().add(e.getMessage());
            }
        }
        Path identityFile = node.path("identity_file");
        String identityEnv = node.string("identity_env");
        if (identityFile != null && identityEnv != null) {
            node.problem("set only one of identity_file and identity_env");
        }
        node.requireEnvName("identity_env", identityEnv);
        node.requireOwnerOnlyFile("identity_file", identityFile);
        if (recipients.isEmpty() && identityFile == null && identityEnv == null) {
            node.problem("name recipients (to encrypt) and/or identity_file or identity_env (to decrypt)");
        }
        return new StoreEncryption(recipients, identityFile, identityEnv);
    }
}
