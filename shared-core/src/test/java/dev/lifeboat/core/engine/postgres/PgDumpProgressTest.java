package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.engine.DumpProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgDumpProgressTest {
    private final List<String> told = new ArrayList<>();
    private final DumpProgress progress = new DumpProgress() {
        @Override
        public void sized(long totalBytes, int count) {
            told.add("sized " + totalBytes + " " + count);
        }

        @Override
        public void tableStarted(String table, long doneBytes, long totalBytes, int index, int count) {
            told.add(table + " " + doneBytes + "/" + totalBytes + " " + index + "/" + count);
        }
    };

    private PgDumpProgress reader() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("public.small", 100L);
        sizes.put("public.big", 1000L);
        sizes.put("ledger.entries", 10L);
        return new PgDumpProgress(sizes, progress);
    }

    @Test
    void eachTableThatStartsSaysHowMuchOfTheDatabaseIsDumpedBeforeIt() {
        PgDumpProgress p = reader();
        p.announce();
        p.test("pg_dump: dumping contents of table \"public.big\"");
        p.test("pg_dump: dumping contents of table \"ledger.entries\"");
        p.test("pg_dump: dumping contents of table \"public.small\"");
        assertThat(told)
                .containsExactly(
                        "sized 1110 3",
                        "public.big 0/1110 1/3",
                        "ledger.entries 1000/1110 2/3",
                        "public.small 1010/1110 3/3");
    }

    @Test
    void informationIsConsumedAndFailuresAreLeftForTheErrorMessage() {
        PgDumpProgress p = reader();
        assertThat(p.test("pg_dump: reading extensions")).isTrue();
        assertThat(p.test("pg_dump: dumping contents of table \"public.unknown\""))
                .isTrue();
        for (String kept : List.of(
                "pg_dump: error: query failed: ERROR:  permission denied for table secret",
                "pg_dump: detail: Query was: LOCK TABLE public.secret IN ACCESS SHARE MODE",
                "pg_dump: warning: there are circular foreign-key constraints",
                "pg_dump: hint: You might not be able to restore the dump",
                "ERROR:  something from the server")) {
            assertThat(p.test(kept)).as(kept).isFalse();
        }
        assertThat(told).containsExactly("public.unknown 0/1110 1/3");
    }
}
