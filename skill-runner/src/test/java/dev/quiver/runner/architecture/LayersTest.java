package dev.quiver.runner.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The runner's layers: <b>core</b> (the pipeline and the values and checks it is made of) ← <b>runtime</b> (one
 * process's wiring: stores, records, metrics, the connection test) ← <b>adapters</b> (CLI, HTTP, batch, MCP: they
 * translate in and out of the pipeline). A lower layer never imports a higher one, and no two packages import each
 * other even within a layer, so each package can be read, tested and changed from the bottom up.
 */
class LayersTest {

    static final String[] CORE = {"dev.quiver.runner.internal..", "dev.quiver.runner.files..",
            "dev.quiver.runner.failure..", "dev.quiver.runner.schema..", "dev.quiver.runner.access..",
            "dev.quiver.runner.connection..", "dev.quiver.runner.plugins..", "dev.quiver.runner.catalog..",
            "dev.quiver.runner.transport..", "dev.quiver.runner.pipeline..", "dev.quiver.runner.view.."};
    static final String[] RUNTIME = {"dev.quiver.runner.runtime..", "dev.quiver.runner.store..",
            "dev.quiver.runner.records..", "dev.quiver.runner.metrics..", "dev.quiver.runner.check..",
            "dev.quiver.runner.oauth.."};
    static final String[] ADAPTERS = {"dev.quiver.runner.cli..", "dev.quiver.runner.http..",
            "dev.quiver.runner.batch..", "dev.quiver.runner.mcp.."};

    private static JavaClasses runner;

    @BeforeAll
    static void importRunner() {
        runner = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.quiver.runner");
    }

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("core").definedBy(CORE)
            .layer("runtime").definedBy(RUNTIME)
            .layer("adapters").definedBy(ADAPTERS)
            .whereLayer("adapters").mayNotBeAccessedByAnyLayer()
            .whereLayer("runtime").mayOnlyBeAccessedByLayers("adapters")
            .whereLayer("core").mayOnlyBeAccessedByLayers("runtime", "adapters")
            .because("the pipeline is shared by every adapter and must not know which one called it");

    static final ArchRule NO_PACKAGE_CYCLE = slices().matching("dev.quiver.runner.(*)..").should().beFreeOfCycles()
            .because("a cycle makes its packages one unit: none can be understood or changed alone");

    /** Every class is in a layer: a new package must be placed before it can be used. */
    static final ArchRule EVERY_CLASS_IN_A_LAYER = classes().should().resideInAnyPackage(concat(CORE, RUNTIME, ADAPTERS))
            .because("a package outside the layers would escape both rules above");

    @Test
    void lowerLayersDoNotImportHigherOnes() {
        LAYERS.check(runner);
    }

    @Test
    void noPackageImportsItselfBackThroughOthers() {
        NO_PACKAGE_CYCLE.check(runner);
    }

    @Test
    void everyPackageIsInALayer() {
        EVERY_CLASS_IN_A_LAYER.check(runner);
    }

    /** The rules can fail: a class importing the CLI from the pipeline layer would be reported. */
    @Test
    void theLayerRuleSeesAnUpwardImport() {
        JavaClasses offending = new ClassFileImporter().importClasses(UpwardImport.class,
                dev.quiver.runner.cli.Main.class);
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("test").definedBy(UpwardImport.class.getPackageName())
                .layer("adapters").definedBy(ADAPTERS)
                .whereLayer("adapters").mayNotBeAccessedByAnyLayer();
        org.junit.jupiter.api.Assertions.assertFalse(rule.evaluate(offending).getFailureReport().isEmpty(),
                "an import of the CLI from below is a violation");
    }

    /** Stands for a lower-layer class that reaches up into an adapter. */
    static final class UpwardImport {
        dev.quiver.runner.cli.Main main;
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
