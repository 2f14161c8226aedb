package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cutting a real pg_dumpall --roles-only --no-role-passwords (PostgreSQL 15) down to one database's roles. */
class RolesScriptTest {
    private static final String DUMPALL = resource("/roles/pg_dumpall-15.sql");

    @Test
    void onlyTheNamedRolesAndTheirMembershipsAreKept() {
        String kept = RolesScript.keep(DUMPALL, Set.of("postgres", "tocreader", "Odd Name", "app_group"));

        assertThat(RolesScript.created(kept)).containsExactly("Odd Name", "app_group", "postgres", "tocreader");
        assertThat(kept)
                .contains("ALTER ROLE \"Odd Name\" SET work_mem TO '8MB';")
                .contains("COMMENT ON ROLE app_group IS 'the group';")
                .contains("GRANT app_group TO \"Odd Name\" GRANTED BY postgres;")
                .contains("\\restrict ", "\\unrestrict ")
                .doesNotContain("CREATE ROLE root;", "ALTER ROLE root ");
    }

    @Test
    void aMembershipLosesItsGrantorWhenTheGrantorIsNotKeptAndGoesWhenASideIsNot() {
        String kept = RolesScript.keep(DUMPALL, Set.of("Odd Name", "app_group"));

        assertThat(kept).contains("GRANT app_group TO \"Odd Name\";").doesNotContain("GRANTED BY");
        assertThat(RolesScript.keep(DUMPALL, Set.of("Odd Name"))).doesNotContain("GRANT app_group");
    }

    @Test
    void theScriptHoldsNoPasswordHash() {
        assertThat(DUMPALL)
                .doesNotContain("SCRAM-SHA-256$")
                .doesNotContainIgnoringCase("md5")
                .doesNotContain("PASSWORD");
    }

    @Test
    void creatingKeepsOnlyTheStatementsAboutTheRolesToCreateAsPlainSql() {
        String sql = RolesScript.creating(DUMPALL, Set.of("Odd Name", "app_group"));

        assertThat(sql)
                .contains("CREATE ROLE \"Odd Name\";", "CREATE ROLE app_group;")
                .contains("ALTER ROLE \"Odd Name\" SET work_mem TO '8MB';")
                .contains("COMMENT ON ROLE app_group IS 'the group';")
                .contains("GRANT app_group TO \"Odd Name\";")
                .doesNotContain("GRANTED BY", "\\restrict", "SET default_transaction", "postgres", "root");
    }

    @Test
    void aMembershipComesAlongWhenOneSideIsCreatedAndTheOtherExists() {
        assertThat(RolesScript.creating(DUMPALL, Set.of("Odd Name"))).contains("GRANT app_group TO \"Odd Name\";");
        assertThat(RolesScript.creating(DUMPALL, Set.of("tocreader"))).doesNotContain("GRANT");
    }

    @Test
    void aRoleBringsTheGroupRolesItIsAMemberOf() {
        assertThat(RolesScript.withGroups(DUMPALL, Set.of("Odd Name"))).containsExactly("Odd Name", "app_group");
        assertThat(RolesScript.withGroups(DUMPALL, Set.of("tocreader"))).containsExactly("tocreader");
    }

    @Test
    void aCommentOverSeveralLinesStaysOneStatement() {
        String script = "CREATE ROLE a;\nCOMMENT ON ROLE a IS 'one\ntwo;\nthree';\nCOMMENT ON ROLE b IS 'x\ny';\n";

        assertThat(RolesScript.creating(script, Set.of("a")))
                .isEqualTo("CREATE ROLE a;\nCOMMENT ON ROLE a IS 'one\ntwo;\nthree';\n");
    }

    private static String resource(String name) {
        try (InputStream in = RolesScriptTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
