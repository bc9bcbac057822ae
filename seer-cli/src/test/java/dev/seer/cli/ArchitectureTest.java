package dev.seer.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.Date;
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
                        "dev.seer.models..", "dev.seer.registry..", "dev.seer.server..", "dev.seer.cli..")
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
        check(noClasses().that().resideInAPackage("dev.seer.registry..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.duckdb..", "dev.seer.features..", "dev.seer.datasets..",
                        "dev.seer.models..", "dev.seer.server..", "dev.seer.cli..")
                .because("the registry keeps its tables through SqlDatabase and audits through AuditSink; what it records"
                        + " of other components (signatures, dataset versions) it holds as their codecs' JSON or as names"));
        check(noClasses().that().resideInAPackage("dev.seer.models..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.duckdb..", "dev.seer.features..", "dev.seer.datasets..",
                        "dev.seer.registry..", "dev.seer.server..", "dev.seer.cli..")
                .because("model files are a library: training, the registry and serving use it, it uses none of them"));
        check(noClasses().that().resideInAPackage("dev.seer.explain..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.seer.metadata..", "dev.seer.duckdb..", "dev.seer.features..", "dev.seer.datasets..",
                        "dev.seer.registry..", "dev.seer.training..", "dev.seer.server..", "dev.seer.cli..")
                .because("explanations work on model files and rows; the wiring brings the registry's versions and"
                        + " training's metrics to them"));
        check(noClasses().that().resideInAPackage("dev.seer.server..").should().dependOnClassesThat()
                .resideInAPackage("dev.seer.cli..").because("the CLI calls the server, never the other way"));
    }

    /**
     * Every way the JDK reads the wall clock: {@code now()} of any java.time type except with a
     * Clock, the system clocks, {@code currentTimeMillis}, a {@code Date} or {@code Calendar} of
     * the current time. Elapsed times ({@code System.nanoTime}) are not wall-clock readings.
     * seer-bench's harnesses are entry points of their own and pick the system clock as SeerCli does.
     */
    @Test
    void timeComesFromTheInjectedClock() {
        check(clockRule());
    }

    private static ArchRule clockRule() {
        return noClasses().that().doNotHaveFullyQualifiedName(SeerCli.class.getName())
                .should().callMethodWhere(readsTheWallClock())
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethod(Clock.class, "system", ZoneId.class)
                .orShould().callMethod(InstantSource.class, "system")
                .orShould().callConstructor(Date.class)
                .orShould().callMethod(Calendar.class, "getInstance")
                .because("every component takes the Clock it is given (tests run on a MutableClock); only the"
                        + " command line's entry point picks the system clock");
    }

    /** Each way of reading the wall clock, once: the rule must catch every one and pass the injected clock. */
    static final class WallClockReaders {
        Object[] read(Clock clock) {
            return new Object[] {Instant.now(), LocalDate.now(ZoneId.of("UTC")),
                OffsetDateTime.now(), System.currentTimeMillis(), Clock.systemUTC(), InstantSource.system(),
                new Date(), Calendar.getInstance(), Instant.now(clock)};
        }
    }

    @Test
    void theClockRuleCatchesEveryWallClockReading() {
        JavaClasses fixture = new ClassFileImporter().importClasses(WallClockReaders.class);
        assertThatThrownBy(() -> clockRule().check(fixture)).hasMessageContaining("Instant.now()")
                .hasMessageContaining("LocalDate.now(java.time.ZoneId)").hasMessageContaining("OffsetDateTime.now()")
                .hasMessageContaining("System.currentTimeMillis()").hasMessageContaining("Clock.systemUTC()")
                .hasMessageContaining("InstantSource.system()").hasMessageContaining("Date.<init>()")
                .hasMessageContaining("Calendar.getInstance()").hasMessageNotContaining("Instant.now(java.time.Clock)");
    }

    /** {@code X.now()} or {@code X.now(ZoneId)} of a java.time type; {@code X.now(Clock)} is the injected clock. */
    private static DescribedPredicate<JavaMethodCall> readsTheWallClock() {
        return DescribedPredicate.describe("now() of java.time without a Clock", call -> {
            var target = call.getTarget();
            return target.getOwner().getPackageName().equals("java.time") && target.getName().equals("now")
                    && target.getRawParameterTypes().stream().noneMatch(t -> t.isEquivalentTo(Clock.class));
        });
    }

    @Test
    void theClockRuleSeesEveryComponent() {
        for (String component : new String[] {"core", "metadata", "duckdb", "features", "datasets", "models", "registry",
                "training", "explain", "server", "cli"}) {
            assertThat(seer.stream().anyMatch(c -> c.getPackageName().startsWith("dev.seer." + component)))
                    .as("main classes of seer-%s are checked", component).isTrue();
        }
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
