package dev.lifeboat.core.restore;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ArchiveToc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The selection of archive entries for a selective restore, on a real {@code pg_restore --list
 * --verbose} listing (PostgreSQL 15; see the resource for the schema it was dumped from: accounts
 * with a serial key, an enum column, a unique constraint, an expression index, a trigger, a comment
 * and a grant; sales.orders with an identity key and a foreign key to accounts; a view over orders;
 * audit with a foreign key to accounts; a materialized view over accounts).
 */
class SelectedEntriesTest {
    private static final ArchiveToc TOC = toc();

    @Test
    void aTableComesBackWithEverythingThatHangsOffIt() {
        SelectedEntries s = SelectedEntries.of(TOC, Selection.of(List.of("public.accounts"), List.of()), true);

        assertThat(s.tables()).containsExactly("public.accounts");
        assertThat(kinds(s))
                .contains(
                        "TABLE public accounts",
                        "TABLE DATA public accounts",
                        "CONSTRAINT public accounts accounts_pkey",
                        "CONSTRAINT public accounts accounts_name_key",
                        "INDEX public accounts_name_lower",
                        "TRIGGER public accounts accounts_touch",
                        "DEFAULT public accounts id",
                        "SEQUENCE public accounts_id_seq",
                        "SEQUENCE OWNED BY public accounts_id_seq",
                        "SEQUENCE SET public accounts_id_seq",
                        "COMMENT public TABLE accounts",
                        "ACL public TABLE accounts",
                        // what it needs, into a new database
                        "TYPE public mood",
                        "FUNCTION public touch()")
                .doesNotContain("TABLE sales orders", "TABLE public audit", "MATERIALIZED VIEW public acct_mv")
                .noneMatch(k -> k.startsWith("FK CONSTRAINT"));
    }

    @Test
    void intoAnExistingDatabaseWhatTheTableNeedsIsNotRecreated() {
        SelectedEntries s = SelectedEntries.of(TOC, Selection.of(List.of("accounts"), List.of()), false);

        assertThat(kinds(s))
                .contains("TABLE public accounts", "TRIGGER public accounts accounts_touch")
                .doesNotContain("TYPE public mood", "FUNCTION public touch()");
    }

    @Test
    void aForeignKeyToATableOutsideTheSelectionIsSkippedAndNamed() {
        SelectedEntries s = SelectedEntries.of(TOC, Selection.of(List.of("sales.orders"), List.of()), true);

        assertThat(s.tables()).containsExactly("sales.orders");
        assertThat(kinds(s))
                .contains(
                        "SCHEMA - sales",
                        "TABLE sales orders",
                        "SEQUENCE sales orders_id_seq",
                        "TABLE DATA sales orders")
                .noneMatch(k -> k.startsWith("FK CONSTRAINT"));
        assertThat(s.skipped())
                .containsExactly(
                        "foreign key orders_account_id_fkey of sales.orders: needs public.accounts, which is not restored");
    }

    @Test
    void aForeignKeyBetweenSelectedTablesIsRestored() {
        SelectedEntries s =
                SelectedEntries.of(TOC, Selection.of(List.of("public.accounts", "sales.orders"), List.of()), true);

        assertThat(kinds(s)).contains("FK CONSTRAINT sales orders orders_account_id_fkey");
        assertThat(s.skipped()).noneMatch(x -> x.contains("orders_account_id_fkey"));
    }

    @Test
    void aSchemaComesBackWithItsViewsAndWithoutWhatReachesOutsideIt() {
        SelectedEntries s = SelectedEntries.of(TOC, Selection.of(List.of(), List.of("sales")), true);

        assertThat(s.tables()).containsExactly("sales.orders");
        assertThat(kinds(s)).contains("SCHEMA - sales", "VIEW sales order_totals");
        assertThat(s.skipped()).anyMatch(x -> x.startsWith("foreign key orders_account_id_fkey"));
    }

    @Test
    void sessionSettingsAreAlwaysRestoredAndTheDatabaseEntryNever() {
        SelectedEntries s = SelectedEntries.of(TOC, Selection.of(List.of("public.audit"), List.of()), true);

        assertThat(kinds(s)).contains("ENCODING - ENCODING", "STDSTRINGS - STDSTRINGS", "SEARCHPATH - SEARCHPATH");
        assertThat(kinds(s)).noneMatch(k -> k.startsWith("DATABASE"));
    }

    @Test
    void entriesKeepTheArchivesOrder() {
        SelectedEntries s =
                SelectedEntries.of(TOC, Selection.of(List.of("sales.orders", "public.accounts"), List.of()), true);

        List<Integer> inArchive = TOC.entries().stream()
                .map(ArchiveToc.Entry::id)
                .filter(s.ids()::contains)
                .toList();
        assertThat(s.ids()).isEqualTo(inArchive);
        assertThat(s.tables()).containsExactly("public.accounts", "sales.orders");
    }

    @Test
    void aTableTheBackupLacksIsRefusedWithTheCaseItHas() {
        LifeboatException e = refused(
                ErrorCode.NOT_FOUND,
                () -> SelectedEntries.of(
                        TOC, Selection.of(List.of("public.Accounts", "nope.t"), List.of("ghost")), true));
        assertThat(e.getMessage())
                .contains("table public.Accounts (did you mean public.accounts?)")
                .contains("table nope.t")
                .contains("schema ghost");
        assertThat(e.hint()).contains("{CONTENTS}");
    }

    @Test
    void theListingIsReadWithItsDependencies() {
        ArchiveToc.Entry fk = TOC.entries().stream()
                .filter(e -> e.kind().equals("FK CONSTRAINT") && e.schema().equals("sales"))
                .findFirst()
                .orElseThrow();

        assertThat(fk.name()).isEqualTo("orders orders_account_id_fkey");
        assertThat(fk.owner()).isEqualTo("postgres");
        assertThat(fk.dependsOn()).hasSize(3);
        assertThat(TOC.ofKind("TABLE DATA")).hasSize(3);
        assertThat(TOC.entry(6).orElseThrow().kind()).isEqualTo("SCHEMA");
    }

    private static List<String> kinds(SelectedEntries s) {
        return s.ids().stream()
                .map(id -> TOC.entry(id).orElseThrow())
                .map(e -> (e.kind() + " " + (e.schema() == null ? "-" : e.schema()) + " " + e.name()).trim())
                .toList();
    }

    private static ArchiveToc toc() {
        try (InputStream in = SelectedEntriesTest.class.getResourceAsStream("/toc/sample-15.list")) {
            return ArchiveToc.parse(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
