package dev.lifeboat.core.restore;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.RoleCheck;
import dev.lifeboat.core.testing.SampleManifest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What a restore does about roles, decided from the roles an archive names and what the server answers. */
class RoleSetupTest {
    private static final String WHERE = "db.example:5432";
    private final Manifest withoutRoles =
            SampleManifest.of("app", Instant.parse("2026-12-01T00:00:00Z")).build();
    private final Manifest withRoles =
            withoutRoles.withRoles(new Manifest.Roles(100, "ab".repeat(32), List.of("app_owner", "reader", "readers")));

    private static Function<Collection<String>, RoleCheck> server(
            List<String> missing, List<String> notAssumable, boolean superuser) {
        return names -> new RoleCheck(
                missing.stream().filter(names::contains).toList(),
                notAssumable.stream().filter(names::contains).toList(),
                superuser);
    }

    private RoleSetup.Decision decide(Owners owners, Manifest m, Function<Collection<String>, RoleCheck> server) {
        return RoleSetup.decide(owners, Set.of("app_owner"), Set.of("reader"), m, server, "restorer", WHERE);
    }

    @Test
    void keepingOwnersThatAllExistRestoresThemWithGrants() {
        RoleSetup.Decision d = decide(Owners.KEEP, withRoles, server(List.of(), List.of(), false));

        assertThat(d.keepOwners()).isTrue();
        assertThat(d.grants()).isTrue();
        assertThat(d.create()).isEmpty();
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void keepingOwnersWithARoleMissingIsRefusedNamingItAndOfferingBothWaysOut() {
        LifeboatException e = refused(
                ErrorCode.NOT_FOUND, () -> decide(Owners.KEEP, withRoles, server(List.of("reader"), List.of(), true)));
        assertThat(e.getMessage()).contains("reader", WHERE, "nothing was restored");
        assertThat(e.hint()).contains("{CREATE_ROLES}", "{NO_OWNER}");
        assertThat(refused(() -> decide(Owners.KEEP, withoutRoles, server(List.of("reader"), List.of(), true)))
                        .hint())
                .doesNotContain("{CREATE_ROLES}")
                .contains("globals: roles", "{NO_OWNER}");
    }

    @Test
    void anOwnerTheLoginCannotBecomeIsRefusedButAGranteeItCannotBecomeIsFine() {
        LifeboatException e = refused(
                ErrorCode.PERMISSION_DENIED,
                () -> decide(Owners.KEEP, withRoles, server(List.of(), List.of("app_owner"), false)));
        assertThat(e.getMessage()).contains("restorer", "app_owner");
        assertThat(e.hint()).contains("GRANT app_owner TO restorer", "{NO_OWNER}");
        assertThat(decide(Owners.KEEP, withRoles, server(List.of(), List.of("reader"), false))
                        .keepOwners())
                .isTrue();
    }

    @Test
    void creatingRolesNamesThemAndNeedsTheKeptRolesAndASuperuser() {
        RoleSetup.Decision d =
                decide(Owners.CREATE_ROLES, withRoles, server(List.of("app_owner", "reader"), List.of(), true));
        assertThat(d.create()).containsExactly("app_owner", "reader");
        assertThat(d.keepOwners()).isTrue();
        assertThat(d.notes()).singleElement().asString().contains("app_owner, reader", "without passwords");

        refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> decide(Owners.CREATE_ROLES, withoutRoles, server(List.of("reader"), List.of(), true)));
        LifeboatException e = refused(
                ErrorCode.PERMISSION_DENIED,
                () -> decide(Owners.CREATE_ROLES, withRoles, server(List.of("reader"), List.of(), false)));
        assertThat(e.getMessage()).contains("superuser");
    }

    @Test
    void aMissingRoleTheBackupDidNotKeepCannotBeCreated() {
        LifeboatException e = refused(
                ErrorCode.NOT_FOUND,
                () -> RoleSetup.decide(
                        Owners.CREATE_ROLES,
                        Set.of("stranger"),
                        Set.of(),
                        withRoles,
                        server(List.of("stranger"), List.of(), true),
                        "restorer",
                        WHERE));
        assertThat(e.getMessage()).contains("stranger", "not among the roles kept");
    }

    @Test
    void givingEverythingToTheLoginLeavesOutGrantsOnlyWhenTheirRolesAreMissing() {
        RoleSetup.Decision present = decide(Owners.LOGIN, withRoles, server(List.of("app_owner"), List.of(), false));
        assertThat(present.keepOwners()).isFalse();
        assertThat(present.grants()).isTrue();
        assertThat(present.notes()).singleElement().asString().contains("restorer");

        RoleSetup.Decision missing = decide(Owners.LOGIN, withRoles, server(List.of("reader"), List.of(), false));
        assertThat(missing.grants()).isFalse();
        assertThat(missing.notes()).anySatisfy(n -> assertThat(n).contains("grants are left out", "reader", WHERE));
    }

    @Test
    void anArchiveThatNamesNoRoleNeedsNoQuestion() {
        RoleSetup.Decision d = RoleSetup.decide(
                Owners.KEEP,
                Set.of(),
                Set.of(),
                withRoles,
                names -> {
                    throw new AssertionError("no question to the server");
                },
                "restorer",
                WHERE);
        assertThat(d.keepOwners()).isTrue();
    }
}
