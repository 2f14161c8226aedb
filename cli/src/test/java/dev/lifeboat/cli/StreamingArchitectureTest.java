package dev.lifeboat.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Flat memory, kept so: no production class of any module (core, MCP server, CLI: all on this
 * module's class path) reads a whole stream or file into memory, except the few that read small
 * files of their own kind, each named here with the reason. A dump, an archive, a manifest from a
 * store or a spool file must be streamed (or read with a bound, like {@code readNBytes(limit)}).
 */
class StreamingArchitectureTest {
    /** Methods that read everything there is, however large. */
    private static final Set<String> WHOLE_READS = Set.of("readAllBytes", "readAllLines", "readString");

    /** Who may read a whole file, and why it is small. */
    private static final Map<String, String> ALLOWED = Map.of(
            "dev.lifeboat.core.confirm.Confirmations",
                    "its own 32-byte key and small plan/approval JSON files in state_dir",
            "dev.lifeboat.core.engine.postgres.PgJdbc", "a libpq .pgpass file",
            "dev.lifeboat.core.config.ConfigLoader", "lifeboat.yaml",
            "dev.lifeboat.mcp.settings.McpSettingsLoader", "the mcp: section of lifeboat.yaml",
            "dev.lifeboat.core.secret.PasswordSources", "a password_file (one line)",
            "dev.lifeboat.core.crypto.AgeIdentity", "an age identity file (a few lines)");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the core's test jar (PgCluster and friends) is on this class path too
            .withImportOption((Location l) -> !l.contains("-tests.jar") && !l.contains("test-classes"))
            .importPackages("dev.lifeboat");

    private static final DescribedPredicate<JavaMethodCall> WHOLE_READ = DescribedPredicate.describe(
            "reads a whole stream or file (" + WHOLE_READS + ")",
            (JavaMethodCall c) -> WHOLE_READS.contains(c.getTarget().getName()));

    @Test
    void theRuleSeesEveryModule() {
        Set<String> packages =
                PRODUCTION.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages).contains("dev.lifeboat.core.catalog", "dev.lifeboat.mcp", "dev.lifeboat.cli");
        assertThat(PRODUCTION.stream().map(JavaClass::getSimpleName)).doesNotContain("PgCluster");
    }

    @Test
    void noProductionCodeReadsAWholeStreamOrFileOutsideTheAllowList() {
        noClasses()
                .that(DescribedPredicate.describe(
                        "are not on the allow-list",
                        (JavaClass c) -> !ALLOWED.containsKey(outermost(c).getName())))
                .should()
                .callMethodWhere(WHOLE_READ)
                .because("a dump must be streamed: memory stays flat whatever its size")
                .check(PRODUCTION);
    }

    @Test
    void everyAllowedClassStillReadsAWholeFile() {
        // a stale entry would let a new whole read slip in unnoticed
        Set<String> reading = PRODUCTION.stream()
                .flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(WHOLE_READ)
                .map(JavaCall::getOriginOwner)
                .map(c -> outermost(c).getName())
                .collect(Collectors.toSet());
        assertThat(reading).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass out = c;
        while (out.getEnclosingClass().isPresent()) {
            out = out.getEnclosingClass().get();
        }
        return out;
    }
}
