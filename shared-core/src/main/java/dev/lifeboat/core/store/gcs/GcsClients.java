package dev.lifeboat.core.store.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * How a GCS store's client is made from its settings: credentials from a 0600 service-account key
 * file or Application Default Credentials (none for an emulator endpoint), project, host, and the
 * library's retry settings with the store's {@code max_attempts}.
 */
final class GcsClients {
    private GcsClients() {}

    static Storage storage(GcsSettings s) {
        StorageOptions.Builder b = StorageOptions.newBuilder()
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                        .setMaxAttempts(s.maxAttempts())
                        .build());
        if (s.credentialsFile() != null) {
            String setting = "stores." + s.storeName() + ".credentials_file";
            if (!Files.isRegularFile(s.credentialsFile())) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        setting + ": " + s.credentialsFile() + " does not exist",
                        "give the path of a service-account JSON key, or remove the setting to use ADC");
            }
            FilePermissions.requireOwnerOnly(s.credentialsFile(), setting);
            try (InputStream in = Files.newInputStream(s.credentialsFile())) {
                b.setCredentials(GoogleCredentials.fromStream(in));
            } catch (IOException | RuntimeException e) {
                // the parser's message may quote the file; say only what kind of failure it was
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        setting + ": " + s.credentialsFile() + " is not a readable credentials file ("
                                + e.getClass().getSimpleName() + ")",
                        "download a service-account JSON key, or remove the setting to use ADC");
            }
        } else if (s.endpoint() != null) {
            // emulators take no credentials, and ADC may not exist where they run
            b.setCredentials(NoCredentials.getInstance());
        }
        if (s.projectId() != null) {
            b.setProjectId(s.projectId());
        }
        if (s.endpoint() != null) {
            b.setHost(s.endpoint().toString());
        }
        try {
            return b.build().getService();
        } catch (RuntimeException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot open " + s.describe() + ": " + e.getMessage(),
                    "without credentials_file, Application Default Credentials are used: run 'gcloud auth"
                            + " application-default login' or set GOOGLE_APPLICATION_CREDENTIALS");
        }
    }
}
