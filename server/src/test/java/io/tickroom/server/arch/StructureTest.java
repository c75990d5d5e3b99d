package io.tickroom.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure, guarded: no cycles between the server's packages, Jetty only in
 * {@code net}, Jedis only in {@code cluster.redis}, the cluster ports blind to their two
 * implementations. A change that breaks one fails the build.
 */
class StructureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tickroom.server");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.tickroom.server.(**)").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void onlyNetUsesJetty() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tickroom.server.net..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.eclipse.jetty..")
                .check(SERVER);
    }

    @Test
    void thePortsKnowNoneOfTheirImplementations() {
        noClasses()
                .that()
                .resideInAPackage("io.tickroom.server.cluster")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.tickroom.server.cluster.memory..", "io.tickroom.server.cluster.redis..")
                .check(SERVER);
    }

    @Test
    void onlyTheRedisBackendUsesJedis() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tickroom.server.cluster.redis..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("redis.clients..")
                .check(SERVER);
    }
}
