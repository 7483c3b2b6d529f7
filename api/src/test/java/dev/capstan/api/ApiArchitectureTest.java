package dev.capstan.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.capstan.api.registry.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API server's boundaries: the store is reached only through the storage layer, no module's internals are used
 * from outside it, strategies do not bypass the generic store, and no kind is named by string outside the kinds'
 * own strategies and rules.
 */
class ApiArchitectureTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.capstan.api");

    /** Where a kind may be named by string: its strategy (registry/<group>/), its rules (validation/), tables. */
    private static final List<String> KIND_AWARE = List.of("registry/", "validation/", "table/");

    @Test
    void theStoreIsReachedOnlyThroughTheStorageLayer() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.capstan.api.storage..", "dev.capstan.api.cache..")
                .and()
                // The composition root opens the store and hands it to the storage layer.
                .doNotHaveFullyQualifiedName("dev.capstan.api.http.ApiServer")
                .and()
                .doNotHaveFullyQualifiedName("dev.capstan.api.StorePrestart")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.capstan.store.Store")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.capstan.store.Stores")
                .because("only the storage layer (and the watch cache over it) may read or write the store")
                .check(API);
    }

    @Test
    void nobodyUsesAnotherModulesInternals() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.capstan.store.internal..", "dev.capstan.model.internal..")
                .check(API);
    }

    @Test
    void strategiesGoThroughTheGenericStore() {
        noClasses()
                .that()
                .resideInAPackage("dev.capstan.api.registry.*..")
                .and()
                .haveSimpleNameEndingWith("Strategy")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.capstan.api.storage.ObjectStorage")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.capstan.api.http..", "dev.capstan.api.grpc..", "dev.capstan.api.handlers..")
                .check(API.that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "strategy packages",
                        c -> !c.getPackageName().equals("dev.capstan.api.registry")
                                && c.getPackageName().startsWith("dev.capstan.api.registry."))));
    }

    @Test
    void validationIsPureRules() {
        noClasses()
                .that()
                .resideInAPackage("dev.capstan.api.validation..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.capstan.api.registry..",
                        "dev.capstan.api.handlers..",
                        "dev.capstan.api.http..",
                        "dev.capstan.api.storage..",
                        "dev.capstan.store..")
                .check(API);
    }

    @Test
    void noKindIsNamedByStringOutsideItsStrategy() throws IOException {
        Set<String> kinds =
                TestRegistry.builtIn().all().stream().map(ResourceType::kind).collect(Collectors.toSet());
        Path root = Path.of("src/main/java/dev/capstan/api");
        Pattern literal = Pattern.compile("\"(?:[a-z0-9.]+/)?([A-Z][A-Za-z]+)\"");
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = root.relativize(file).toString();
                if (KIND_AWARE.stream().anyMatch(p -> relative.startsWith(p) && !isRegistryCore(relative))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = literal.matcher(lines.get(i));
                    while (m.find()) {
                        if (kinds.contains(m.group(1))) {
                            offences.add(relative + ":" + (i + 1) + " " + m.group());
                        }
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertThat(offences).as("kind names outside the kinds' strategies").isEmpty();
    }

    /** The generic classes of registry/ itself (GenericStore, Deletion, ...) are not a kind's strategy. */
    private static boolean isRegistryCore(String relative) {
        return relative.startsWith("registry/") && relative.indexOf('/', "registry/".length()) < 0;
    }
}
