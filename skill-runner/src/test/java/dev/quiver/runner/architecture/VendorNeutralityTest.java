package dev.quiver.runner.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin API, the permission gate and the runner core know no vendor: everything vendor-specific is declared by a plugin's
 * connection type. These rules fail when a vendor's word or class comes back into them.
 *
 * <p>Vendor words are looked for in class, field and method names and in every string constant of the compiled
 * classes (the class file's constant pool), so a message such as "zone X is not allowed" is caught as surely as a
 * method named {@code zoneId}. Comments are not compiled and are not looked at. Vendor adapters, should the runner
 * ever need one, live in {@code dev.quiver.runner.adapters} and are exempt; there is none today.
 */
class VendorNeutralityTest {

    /** Words of the vendors Quiver ships a plugin for, lower case. */
    static final List<String> VENDOR_WORDS = List.of("cloudflare", "zone", "account", "cf-ray", "global_api_key");

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.quiver.api", "dev.quiver.gate", "dev.quiver.runner");
    }

    static final ArchRule API_DEPENDS_ON_ITS_PLATFORM_ONLY = classes().that().resideInAPackage("dev.quiver.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.quiver.api..", "org.pf4j..",
                    "com.fasterxml.jackson..", "org.slf4j..")
            .because("the plugin API is what a stranger's plugin compiles against: small and vendor-neutral");

    static final ArchRule CORE_KNOWS_NO_PLUGIN = noClasses().that().resideInAnyPackage("dev.quiver.api..",
                    "dev.quiver.gate..", "dev.quiver.runner..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.quiver.cloudflare..", "dev.quiver.sandbox..")
            .because("plugins and their simulators reach the runner through the plugin API only");

    static final ArchRule GATE_KNOWS_ONLY_THE_API = classes().that().resideInAPackage("dev.quiver.gate..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.quiver.api..", "dev.quiver.gate..",
                    "com.fasterxml.jackson..")
            .because("the gate decides on a connection type's declarations alone, the same in the runner and the"
                    + " plugin testkit");

    static final ArchRule NO_VENDOR_WORD = classes().that().resideInAnyPackage("dev.quiver.api..", "dev.quiver.gate..",
                    "dev.quiver.runner..")
            .and().resideOutsideOfPackage("dev.quiver.runner.adapters..")
            .should(holdNoVendorWord())
            .because("a vendor's vocabulary belongs to its plugin's connection type");

    @Test
    void thePluginApiDependsOnNothingButItsPlatform() {
        API_DEPENDS_ON_ITS_PLATFORM_ONLY.check(core);
    }

    @Test
    void theGateKnowsOnlyThePluginApi() {
        GATE_KNOWS_ONLY_THE_API.check(core);
    }

    @Test
    void neitherTheApiNorTheRunnerDependsOnAPluginOrASimulator() {
        CORE_KNOWS_NO_PLUGIN.check(core);
    }

    @Test
    void noVendorWordInTheApiOrTheRunnerCore() {
        NO_VENDOR_WORD.check(core);
    }

    @Test
    void theVendorWordRuleCatchesAStringConstantAndAMemberName() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(StringFixture.class, MemberFixture.class);
        assertTrue(classes().should(holdNoVendorWord()).evaluate(fixtures.that(
                com.tngtech.archunit.base.DescribedPredicate.describe("string fixture",
                        c -> c.isEquivalentTo(StringFixture.class)))).hasViolation());
        assertTrue(classes().should(holdNoVendorWord()).evaluate(fixtures.that(
                com.tngtech.archunit.base.DescribedPredicate.describe("member fixture",
                        c -> c.isEquivalentTo(MemberFixture.class)))).hasViolation());
    }

    @Test
    void theDependencyRuleCatchesAVendorClass() {
        JavaClasses fixture = new ClassFileImporter().importClasses(DependencyFixture.class);
        assertTrue(noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.quiver.sandbox..")
                .evaluate(fixture).hasViolation());
    }

    static ArchCondition<JavaClass> holdNoVendorWord() {
        return new ArchCondition<>("hold no vendor word " + VENDOR_WORDS) {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                report(javaClass, "class name", javaClass.getSimpleName(), events);
                for (JavaMember member : javaClass.getMembers()) {
                    report(javaClass, "member " + member.getName(), member.getName(), events);
                }
                report(javaClass, "a string constant", constantPool(javaClass), events);
            }
        };
    }

    // The JDK's own time-zone names (java.time.ZoneOffset, withZone) are not a vendor's word.
    private static final java.util.regex.Pattern JDK_ZONE_NAMES = java.util.regex.Pattern.compile(
            "java/time/Zone\\w*|Zone(Offset|Id|Rules)\\w*|(with|at)Zone\\w*");

    private static void report(JavaClass javaClass, String where, String text, ConditionEvents events) {
        String lower = JDK_ZONE_NAMES.matcher(text).replaceAll("").toLowerCase(Locale.ROOT);
        for (String word : VENDOR_WORDS) {
            if (lower.contains(word)) {
                events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + ": " + where
                        + " contains the vendor word '" + word + "'"));
            }
        }
    }

    /** The class file's bytes as text: its constant pool holds every string literal and referenced name. */
    private static String constantPool(JavaClass javaClass) {
        String resource = "/" + javaClass.getName().replace('.', '/') + ".class";
        try (InputStream in = javaClass.reflect().getResourceAsStream(resource)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds a vendor word in a message, as a leaked gate message would. */
    static final class StringFixture {
        String message(String id) {
            return "the connection is limited to zones " + id;
        }
    }

    /** Holds a vendor word in a member name. */
    static final class MemberFixture {
        String accountId;
    }

    /** Depends on a simulator class, as the runner once did. */
    static final class DependencyFixture {
        Object simulator = dev.quiver.sandbox.CloudflareSandbox.class;
    }
}
