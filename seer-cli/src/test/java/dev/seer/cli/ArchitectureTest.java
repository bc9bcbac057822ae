package dev.seer.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep Seer's seams where docs/ARCHITECTURE.md says they are, checked on the main
 * classes of every module (this module's tests see them all). A component reaches another only
 * through the contracts in {@code seer-core}; {@code seer-server} (the wiring) and
 * {@code seer-cli} (the entry point) may reach anything.
 */
class ArchitectureTest {
    private static JavaClasses seer;

    @BeforeAll
    static void importMainClasses() {
        // Other modules' main classes come as jars (from the reactor or the local repository);
        // seer-testing's fixtures are test code even though they ship as a main jar.
        seer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.seer").that(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.seer.testing..")));
    }

    @Test
    void coreDependsOnNoComponent() {
        check(noClasses().that().resideInAPackage("dev.seer.core..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.duckdb..", "dev.seer.features..", "dev.seer.datasets..",
                        "dev.seer.server..", "dev.seer.cli..")
                .because("seer-core holds the contracts every component stands on"));
    }

    @Test
    void componentsReachEachOtherOnlyThroughCore() {
        check(noClasses().that().resideInAPackage("dev.seer.datasets..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.features..", "dev.seer.metadata..", "dev.seer.server..", "dev.seer.cli..")
                .because("datasets ask for training data through PointInTimeRetrieval and record through Catalog"));
        check(noClasses().that().resideInAPackage("dev.seer.features..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.datasets..", "dev.seer.server..", "dev.seer.cli..")
                .because("the feature store records through Catalog and audits through AuditSink"));
        check(noClasses().that().resideInAPackage("dev.seer.metadata..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.duckdb..", "dev.seer.features..", "dev.seer.datasets..", "dev.seer.server..",
                        "dev.seer.cli..")
                .because("the metadata store serves the contracts of seer-core, not a component"));
        check(noClasses().that().resideInAPackage("dev.seer.duckdb..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.features..", "dev.seer.datasets..", "dev.seer.server..",
                        "dev.seer.cli..")
                .because("the embedded engine is a library under the components"));
        check(noClasses().that().resideInAPackage("dev.seer.server..").should().dependOnClassesThat()
                .resideInAPackage("dev.seer.cli..").because("the CLI calls the server, never the other way"));
    }

    @Test
    void timeComesFromTheInjectedClock() {
        check(noClasses().that().resideOutsideOfPackage("dev.seer.cli..")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethod(LocalDate.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .because("every component takes the Clock it is given (tests run on a MutableClock); only the"
                        + " command line's entry point picks the system clock"));
    }

    @Test
    void noJavaSerialization() {
        check(noClasses().should().dependOnClassesThat().areAssignableTo(ObjectInputStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(ObjectOutputStream.class)
                .because("stored formats are versioned JSON, Parquet or a model format, never Java serialization"));
    }

    @Test
    void onlyTheCommandLineExits() {
        check(noClasses().that().resideOutsideOfPackage("dev.seer.cli..")
                .should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .because("a library that exits takes the server down with it; errors are SeerExceptions"));
    }

    /**
     * Types of the feature store that are public only so that another of its packages can reach
     * them (their Javadoc says so): the wiring and the other components use its entry points
     * (Ingestor, HistoricalRetrieval, Materializer, FeatureServer, Streaming...) and seer-core's types.
     */
    @Test
    void featureStoreInternalsStayInside() {
        check(noClasses().that().resideOutsideOfPackage("dev.seer.features..").should().dependOnClassesThat()
                .haveFullyQualifiedName("dev.seer.features.IsoTimes")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.definition.FeatureRefs")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.definition.FeatureType")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.definition.SourceFiles")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.definition.Stored")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.ingest.StreamRecords")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.offline.PointInTimeJoin")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.offline.WindowAggregator")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.online.OnlineRows")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.seer.features.online.WindowTiles")
                .because("they are public only for another package of seer-features; tables leave it typed with"
                        + " seer-core's Schema"));
    }

    private static void check(ArchRule rule) {
        rule.check(seer);
    }
}
