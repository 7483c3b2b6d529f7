package dev.capstan.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The store's boundaries: a small public API with the PostgreSQL client behind it. (That only the API server
 * depends on the store is held by the module graph: no other module declares the dependency.)
 */
@AnalyzeClasses(packages = "dev.capstan.store", importOptions = ImportOption.DoNotIncludeTests.class)
class StoreArchitectureTest {

    @ArchTest
    static final ArchRule publicApiDoesNotExposeInternals = noClasses()
            .that()
            .resideInAPackage("dev.capstan.store")
            .and()
            .doNotHaveSimpleName("Stores")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.capstan.store.internal..");

    @ArchTest
    static final ArchRule theApiHidesThePostgresClient = noClasses()
            .that()
            .resideInAPackage("dev.capstan.store")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vertx.pgclient..", "io.vertx.sqlclient..", "java.sql..");

    @ArchTest
    static final ArchRule noHttpInTheStore =
            noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "io.grpc..");
}
