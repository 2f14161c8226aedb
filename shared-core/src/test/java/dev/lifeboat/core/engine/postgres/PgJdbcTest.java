package dev.lifeboat.core.engine.postgres;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgJdbcTest {
    @Test
    void quotesIdentifiersAndRefusesNul() {
        assertThat(PgJdbc.quote("Mixed \"Case\"")).isEqualTo("\"Mixed \"\"Case\"\"\"");
        refused(ErrorCode.INVALID_ARGUMENT, () -> PgJdbc.quote("a\0b"));
    }

    @Test
    void conninfoValuesAreQuoted() {
        assertThat(PgJdbc.conninfoValue("it's a\\b")).isEqualTo("'it\\'s a\\\\b'");
    }

    @Test
    void passfileLookupFollowsLibpqRules() {
        List<String> lines =
                List.of("# comment", "other:5432:*:me:wrong", "db.example:5432:app:me:right\\:one", "*:*:*:*:fallback");
        assertThat(PgJdbc.lookupPassfile(lines, "db.example", "5432", "app", "me"))
                .isEqualTo("right:one");
        assertThat(PgJdbc.lookupPassfile(lines, "db.example", "5433", "app", "me"))
                .isEqualTo("fallback");
        assertThat(PgJdbc.lookupPassfile(List.of("a:1:b:c:d"), "x", "1", "b", "c"))
                .isNull();
    }

    @Test
    void unixSocketHostsAreRefusedWithAHint() {
        var spec =
                new dev.lifeboat.core.engine.ConnectionSpec("/var/run/postgresql", 5432, "app", "me", null, null, null);
        LifeboatException e = refused(ErrorCode.INVALID_ARGUMENT, () -> new PgJdbc(java.util.Map.of()).connect(spec));
        assertThat(e.hint()).contains("localhost");
    }
}
