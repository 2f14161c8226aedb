package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.engine.ConnectionSpec;
import org.junit.jupiter.api.Test;

class PgErrorsTest {
    private static final ConnectionSpec SPEC = new ConnectionSpec("db.example", 5432, "app", "u", null, null, null);

    private static ErrorCode classify(String stderr) {
        return PgErrors.failed("pg_dump", 1, stderr, SPEC).code();
    }

    @Test
    void classifiesWhatTheToolsSay() {
        assertThat(classify("pg_dump: error: connection to server at \"db.example\" (10.0.0.1), port 5432 failed:"
                        + " FATAL:  password authentication failed for user \"u\""))
                .isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
        assertThat(
                        classify(
                                "pg_dump: error: connection to server at \"db.example\" (10.0.0.1), port 5432 failed:"
                                        + " Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"))
                .isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
        assertThat(classify("pg_dump: error: connection to server at \"db.example\" (10.0.0.1), port 5432 failed:"
                        + " FATAL:  database \"app\" does not exist"))
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(classify("pg_dump: error: aborting because of server version mismatch\n"
                        + "pg_dump: detail: server version: 16.1; pg_dump version: 15.4"))
                .isEqualTo(ErrorCode.TOOL_VERSION);
        assertThat(classify("pg_restore: error: unsupported version (1.16) in file header"))
                .isEqualTo(ErrorCode.TOOL_VERSION);
        assertThat(classify("pg_dump: error: query failed: ERROR:  permission denied for table secrets"))
                .isEqualTo(ErrorCode.TOOL_FAILED);
    }

    @Test
    void theMessageCarriesWhatTheToolSaidAndHowItEnded() {
        var e = PgErrors.failed("pg_dump", 137, "", SPEC);
        assertThat(e.getMessage())
                .contains("u@db.example:5432/app")
                .contains("killed by signal 9")
                .contains("(no message)");
        assertThat(PgErrors.failed("pg_restore", 1, "pg_restore: error: could not execute query", null)
                        .getMessage())
                .isEqualTo("pg_restore failed with exit code 1: pg_restore: error: could not execute query");
    }
}
