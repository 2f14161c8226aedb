package dev.lifeboat.core.store;

import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract against a real cloud bucket named by an environment variable (a subclass enables
 * itself only when it is set): each test writes under a fresh prefix below the URI's own and deletes
 * what it wrote. Credentials come from the SDK's default chain, or what {@link #options} adds.
 */
public abstract class RealCloudContract extends BackupStoreContract {
    private final String variable;
    private final String run = "lifeboat-test-" + UUID.randomUUID();
    private final List<BackupStore> opened = new ArrayList<>();
    private int n;

    /** {@code variable} holds the bucket's URI, e.g. {@code s3://my-bucket/ci?region=eu-west-1}. */
    protected RealCloudContract(String variable) {
        this.variable = variable;
    }

    /** The store's options besides its URI (e.g. a credentials file). */
    protected Map<String, String> options() {
        return Map.of();
    }

    @Override
    protected BackupStore store() {
        StoreUri base = StoreUri.parse(System.getenv(variable), variable);
        String prefix = (base.path().isEmpty() ? "" : base.path() + "/") + run + "/" + (++n);
        StoreUri uri = new StoreUri(base.scheme(), base.authority(), prefix, base.options());
        BackupStore s = BackupStores.open(new StoreConfig("realcloud", uri, options()), System.getenv());
        opened.add(s);
        return s;
    }

    @Override
    protected int pagingObjectCount() {
        return 1001;
    }

    @AfterEach
    protected void deleteWhatWasWritten() {
        for (BackupStore s : opened) {
            for (ObjectInfo o : s.list("")) {
                s.delete(o.key());
            }
            s.close();
        }
    }
}
