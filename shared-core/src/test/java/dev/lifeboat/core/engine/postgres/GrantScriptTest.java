package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The roles named by the grant statements pg_restore 15 writes for ACL and DEFAULT ACL entries. */
class GrantScriptTest {
    private static final String SCRIPT = String.join(
            "\n",
            "\\restrict awuUyNIfBtP5",
            "SET statement_timeout = 0;",
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "--",
            "-- Name: TABLE t; Type: ACL; Schema: s; Owner: r_owner",
            "--",
            "REVOKE ALL ON TABLE s.t FROM r_owner;",
            "GRANT INSERT,REFERENCES,DELETE,TRIGGER,TRUNCATE,UPDATE ON TABLE s.t TO r_owner;",
            "GRANT SELECT ON TABLE s.t TO r_reader WITH GRANT OPTION;",
            "GRANT SELECT(v) ON TABLE s.t TO \"Odd Role\";",
            "GRANT USAGE ON SCHEMA s TO PUBLIC;",
            "SET SESSION AUTHORIZATION r_grantor;",
            "GRANT SELECT ON TABLE s.u TO r_grp;",
            "RESET SESSION AUTHORIZATION;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE r_definer IN SCHEMA s GRANT SELECT ON TABLES  TO r_later;",
            "\\unrestrict awuUyNIfBtP5");

    @Test
    void everyGranteeGrantorAndDefaultPrivilegeRoleIsNamedButNotPublic() {
        assertThat(GrantScript.roles(SCRIPT))
                .containsExactlyInAnyOrder(
                        "r_owner", "r_reader", "Odd Role", "r_grantor", "r_grp", "r_definer", "r_later");
    }

    @Test
    void aScriptWithoutGrantsNamesNoRole() {
        assertThat(GrantScript.roles("SET statement_timeout = 0;\n-- GRANT x TO y\n"))
                .isEmpty();
    }
}
