package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.RoleCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles a restore gives objects to, settled before anything is touched. The archive names them
 * (the owners of its objects, the roles its grants name); the target server says which exist and
 * which the login can give objects to. Keeping owners with a role missing is refused up front,
 * naming it, rather than left to fail half-way through pg_restore; creating roles uses those kept
 * with the backup ({@code globals: roles}) and drops them again if the restore fails; giving
 * everything to the login leaves out grants whose roles are missing, and says so.
 */
public final class RoleSetup {
    private static final Logger LOG = LoggerFactory.getLogger(RoleSetup.class);

    /**
     * What a restore does about roles.
     *
     * @param keepOwners give objects to their owners in the backup (else to the login)
     * @param grants restore the backup's grants
     * @param create the missing roles to create first (with the roles they are members of, as kept)
     * @param notes what a person should know: who owns what, what is created, what is left out
     */
    public record Decision(boolean keepOwners, boolean grants, List<String> create, List<String> notes) {
        public Decision {
            create = List.copyOf(create);
            notes = List.copyOf(notes);
        }
    }

    private final DumpEngine engine;
    private final ConnectionSpec target;
    private final Decision decision;
    private final String script;
    private List<String> created = List.of();

    private RoleSetup(DumpEngine engine, ConnectionSpec target, Decision decision, String script) {
        this.engine = engine;
        this.target = target;
        this.decision = decision;
        this.script = script;
    }

    /**
     * Settles the roles of restoring the entries {@code only} (null: all) of the verified {@code
     * archive} into {@code r}'s target: refused (nothing touched) when the owners cannot be kept as
     * asked. {@code keptRoles} reads the roles kept with the backup, only when some are to be created.
     */
    static RoleSetup prepare(
            RestoreTarget.Resolved r, Path archive, ArchiveToc toc, List<Integer> only, Supplier<String> keptRoles) {
        return prepare(
                r.engine(), r.spec(), r.serverText(), r.owners(), r.record().manifest(), archive, toc, only, keptRoles);
    }

    /**
     * As above for an archive that is streamed rather than in a file: {@code grantRoles} reads the roles
     * the given grant entries name (from the archive's head).
     */
    static RoleSetup prepare(
            RestoreTarget.Resolved r,
            java.util.function.Function<List<Integer>, Set<String>> grantRoles,
            ArchiveToc toc,
            Supplier<String> keptRoles) {
        return prepare(
                r.engine(),
                r.spec(),
                r.serverText(),
                r.owners(),
                r.record().manifest(),
                grantRoles.apply(toc.grantIds(null)),
                toc,
                null,
                keptRoles);
    }

    /** As above, for a restore into {@code spec} on the server {@code where} describes (a drill's scratch database). */
    public static RoleSetup prepare(
            DumpEngine engine,
            ConnectionSpec spec,
            String where,
            Owners owners,
            Manifest m,
            Path archive,
            ArchiveToc toc,
            List<Integer> only,
            Supplier<String> keptRoles) {
        return prepare(
                engine, spec, where, owners, m, engine.grantRoles(archive, toc.grantIds(only)), toc, only, keptRoles);
    }

    private static RoleSetup prepare(
            DumpEngine engine,
            ConnectionSpec spec,
            String where,
            Owners owners,
            Manifest m,
            Set<String> grantRoles,
            ArchiveToc toc,
            List<Integer> only,
            Supplier<String> keptRoles) {
        Decision d = decide(
                owners, toc.owners(only), grantRoles, m, names -> engine.checkRoles(spec, names), spec.user(), where);
        return new RoleSetup(engine, spec, d, d.create().isEmpty() ? null : keptRoles.get());
    }

    /**
     * What a plan says about roles, from the archive's head (its owners; the roles its grants name are
     * read when the restore runs): refused as the restore would be.
     */
    static List<String> plan(RestoreTarget.Resolved r, ArchiveToc toc, List<Integer> only) {
        Manifest m = r.record().manifest();
        // creating roles: the plan names every kept role the server lacks; the restore creates those
        // its objects and grants turn out to need (and their group roles), and its result says which
        Set<String> kept = r.owners() == Owners.CREATE_ROLES && m.roles() != null
                ? Set.copyOf(m.roles().names())
                : Set.of();
        return decide(
                        r.owners(),
                        toc.owners(only),
                        kept,
                        m,
                        names -> r.engine().checkRoles(r.spec(), names),
                        r.spec().user(),
                        r.serverText())
                .notes();
    }

    /** The decision, or the refusal, for {@code owners} given the roles the archive names and the server's answer. */
    static Decision decide(
            Owners owners,
            Set<String> ownerRoles,
            Set<String> grantRoles,
            Manifest m,
            Function<Collection<String>, RoleCheck> server,
            String login,
            String where) {
        Set<String> needed = new TreeSet<>(ownerRoles);
        needed.addAll(grantRoles);
        if (needed.isEmpty()) {
            return new Decision(owners != Owners.LOGIN, true, List.of(), List.of());
        }
        RoleCheck check = server.apply(needed);
        List<String> missing = check.missing();
        if (owners == Owners.LOGIN) {
            List<String> missingGrantees =
                    missing.stream().filter(grantRoles::contains).toList();
            List<String> notes = new ArrayList<>();
            notes.add("every restored object belongs to " + login + ", not to its owner in the backup");
            if (!missingGrantees.isEmpty()) {
                notes.add("grants are left out: role(s) " + String.join(", ", missingGrantees)
                        + " that they name do not exist on " + where);
            }
            return new Decision(false, missingGrantees.isEmpty(), List.of(), notes);
        }
        List<String> create = List.of();
        if (!missing.isEmpty()) {
            create = missingToCreate(owners, missing, m, check, login, where);
        }
        List<String> refused =
                check.notAssumable().stream().filter(ownerRoles::contains).toList();
        if (!refused.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.PERMISSION_DENIED,
                    login + " cannot give objects to role(s) " + String.join(", ", refused) + " on " + where
                            + " (it is neither a superuser nor a member of them), so the owners in backup " + m.id()
                            + " cannot be kept; nothing was restored",
                    "grant the login those roles (GRANT " + refused.get(0) + " TO " + login
                            + "), restore as a superuser, or " + Remedy.NO_OWNER);
        }
        List<String> notes = new ArrayList<>();
        if (!create.isEmpty()) {
            notes.add("creates role(s) " + String.join(", ", create) + " on " + where
                    + " as the backup records them (with the roles they are members of), without passwords:"
                    + " give a login role one with ALTER ROLE name PASSWORD '...'");
        }
        return new Decision(true, true, create, notes);
    }

    /** The missing roles to create (CREATE_ROLES), or the refusal naming them. */
    private static List<String> missingToCreate(
            Owners owners, List<String> missing, Manifest m, RoleCheck check, String login, String where) {
        String names = String.join(", ", missing);
        if (owners == Owners.KEEP) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "role(s) " + names + " that own objects or hold grants in backup " + m.id() + " do not exist on "
                            + where + "; nothing was restored",
                    m.roles() != null
                            ? "create them from the roles kept with the backup (" + Remedy.CREATE_ROLES
                                    + "), or give everything to the restoring login (" + Remedy.NO_OWNER + ")"
                            : "create them (CREATE ROLE ...), or give everything to the restoring login ("
                                    + Remedy.NO_OWNER + "); backups taken with 'globals: roles' carry their roles");
        }
        if (m.roles() == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " keeps no roles (it was taken without 'globals: roles'), so the missing"
                            + " role(s) " + names + " cannot be created from it; nothing was restored",
                    "create them by hand (CREATE ROLE ...), or give everything to the restoring login ("
                            + Remedy.NO_OWNER + ")");
        }
        List<String> notKept =
                missing.stream().filter(n -> !m.roles().names().contains(n)).toList();
        if (!notKept.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "role(s) " + String.join(", ", notKept) + " do not exist on " + where
                            + " and are not among the roles kept with backup " + m.id() + "; nothing was restored",
                    "create them by hand (CREATE ROLE ...), or give everything to the restoring login ("
                            + Remedy.NO_OWNER + ")");
        }
        if (!check.superuser()) {
            throw new LifeboatException(
                    ErrorCode.PERMISSION_DENIED,
                    "creating role(s) " + names + " as the backup records them (attributes and memberships) needs a"
                            + " superuser, and " + login + " is not one on " + where + "; nothing was restored",
                    "restore through a configured database entry that logs in as a superuser ("
                            + Remedy.TARGET_SERVER + "), create the roles by hand, or give everything to the"
                            + " restoring login (" + Remedy.NO_OWNER + ")");
        }
        return missing;
    }

    /** The roles created so far (and not dropped again). */
    public List<String> created() {
        return created;
    }

    /** Drops the roles it created (after what they owned is gone); the error, or null when done. */
    public String dropCreated() {
        if (created.isEmpty()) {
            return null;
        }
        try {
            engine.dropRoles(target, created);
            created = List.of();
            return null;
        } catch (LifeboatException e) {
            return "the roles created for the restore (" + String.join(", ", created) + ") could not be dropped: "
                    + e.getMessage();
        }
    }

    public Decision decision() {
        return decision;
    }

    /** {@code options} with this decision's owners and grants. */
    public RestoreOptions apply(RestoreOptions options) {
        return options.owners(decision.keepOwners(), decision.grants());
    }

    /** Creates the missing roles (none when nothing is to be created): the first thing the restore changes. */
    public void createRoles() {
        if (!decision.create().isEmpty()) {
            created = engine.createRoles(target, script, decision.create());
            LOG.info("created roles {} on {}:{}", created, target.host(), target.port());
        }
    }

    /** What the result says: the decision's notes, with the roles actually created. */
    public List<String> notes() {
        List<String> out = new ArrayList<>(decision.notes());
        if (!created.isEmpty()) {
            out.add("roles created: " + String.join(", ", created));
        }
        return out;
    }

    /**
     * {@code failure} after dropping the roles this restore created (the restore left nothing that
     * could own them), saying so; as it is when none were created.
     */
    public LifeboatException undo(LifeboatException failure) {
        if (created.isEmpty()) {
            return failure;
        }
        Thread.interrupted(); // a cancelled restore must still be able to drop what it made
        String names = String.join(", ", created);
        try {
            engine.dropRoles(target, created);
            created = List.of();
            return failure.followedBy("; the roles it had created (" + names + ") were dropped again");
        } catch (LifeboatException e) {
            return new LifeboatException(
                    failure.code(),
                    failure.getMessage() + "; the roles it had created (" + names + ") could not be dropped: "
                            + e.getMessage(),
                    "drop them by hand (DROP ROLE ...) if nothing else needs them",
                    failure);
        }
    }
}
