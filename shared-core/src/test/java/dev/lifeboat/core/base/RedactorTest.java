package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = Redactor.global();

    @Test
    void registeredSecretsAreMaskedWherever_theyAppear() {
        Secret s = Secret.of("Canary-Pa55-redactor");
        assertThat(s.toString()).isEqualTo("****");
        assertThat(redactor.redact("FATAL: bad value Canary-Pa55-redactor in line"))
                .isEqualTo("FATAL: bad value **** in line");
    }

    @Test
    void passwordsInKeyValuePairsAreMasked() {
        assertThat(redactor.redact("host=db password=hunter22 user=x")).isEqualTo("host=db password=**** user=x");
        assertThat(redactor.redact("PGPASSWORD=hunter22")).isEqualTo("PGPASSWORD=****");
        assertThat(redactor.redact("{\"password\": \"hunter22\"}")).isEqualTo("{\"password\": \"****\"}");
        assertThat(redactor.redact("aws_secret_access_key = abc123XYZ")).isEqualTo("aws_secret_access_key = ****");
        assertThat(redactor.redact("spring.datasource.password=hunter22")).isEqualTo("spring.datasource.password=****");
        assertThat(redactor.redact("password: hunter22")).isEqualTo("password: ****");
    }

    @Test
    void credentialsInUrisAreMasked() {
        assertThat(redactor.redact("postgresql://bob:hunter22@db:5432/app"))
                .isEqualTo("postgresql://bob:****@db:5432/app");
    }

    @Test
    void tokensSignaturesAndAgeKeysAreMasked() {
        assertThat(redactor.redact("Authorization: Bearer abcdefghijklmnop")).isEqualTo("Authorization: Bearer ****");
        assertThat(redactor.redact("GET /x?X-Amz-Signature=deadbeef&X-Amz-Date=1"))
                .isEqualTo("GET /x?X-Amz-Signature=****&X-Amz-Date=1");
        assertThat(redactor.redact("key AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQ end")).isEqualTo("key **** end");
    }

    @Test
    void ordinaryMessagesAboutPasswordsAreLeftReadable() {
        String msg = "FATAL: password authentication failed for user \"backup\"";
        assertThat(redactor.redact(msg)).isEqualTo(msg);
        assertThat(redactor.redact("password_env: APP_PASSWORD")).isEqualTo("password_env: APP_PASSWORD");
        // a configuration problem names the setting by its path: the words after it are the message
        String problem = "notify.password: must be a mapping with one of [webhook, ping]";
        assertThat(redactor.redact(problem)).isEqualTo(problem);
        assertThat(redactor.redact("stores.s3.secret_access_key: unknown setting"))
                .isEqualTo("stores.s3.secret_access_key: unknown setting");
    }

    @Test
    void shapesAreFoundWhateverTheCaseOfTheirWordsAndWhereverTheyStand() {
        assertThat(redactor.redact("PassWord=hunter22")).isEqualTo("PassWord=****");
        assertThat(redactor.redact("x AUTHORIZATION: Bearer abcdefgh123")).isEqualTo("x AUTHORIZATION: Bearer ****");
        assertThat(redactor.redact("{\"tags\":{\"Password\":\"hunter22\"}}"))
                .isEqualTo("{\"tags\":{\"Password\":\"****\"}}");
        assertThat(redactor.redact("nothing to see here, 9 MB of it")).isEqualTo("nothing to see here, 9 MB of it");
    }

    @Test
    void textWithNonAsciiCharactersIsRedactedAsWell() {
        assertThat(redactor.redact("étiquette password=hunter22 ✓")).isEqualTo("étiquette password=**** ✓");
        assertThat(redactor.redact("postgres://ünïcode:hunter22@db/x")).isEqualTo("postgres://ünïcode:****@db/x");
    }

    @Test
    void mayChangeIsTrueForEveryTextRedactChangesAndFalseForPlainText() {
        redactor.register("RedactorTest-mayChange-s3cret");
        for (String changed : java.util.List.of(
                "uses RedactorTest-mayChange-s3cret here",
                "PASSWORD=hunter2",
                "postgres://me:pw@db/app",
                "Authorization: Bearer abcdefgh12345",
                "AGE-SECRET-KEY-1QQQQQQQQ")) {
            assertThat(redactor.redact(changed)).as(changed).isNotEqualTo(changed);
            assertThat(redactor.mayChange(changed)).as(changed).isTrue();
        }
        for (String plain :
                java.util.List.of("", "nightly", "app-20261122T071200Z-3f9a", "pg_dump (PostgreSQL) 15.19")) {
            assertThat(redactor.mayChange(plain)).as(plain).isFalse();
        }
        // a trigger word without a secret after it, or non-ASCII text: only redact knows, so it is asked
        assertThat(redactor.mayChange("passport")).isTrue();
        assertThat(redactor.mayChange("ünïcode")).isTrue();
        assertThat(redactor.mayChange(null)).isFalse();
    }
}
