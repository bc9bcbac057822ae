package dev.seer.core.home;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.SeerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The home folder of one Seer installation ({@code SEER_HOME}, default {@code ./.seer}): it holds
 * {@code seer.yaml} and everything the embedded backends write. One process owns a home at a time;
 * see {@link HomeLock}.
 */
public final class SeerHome {
    public static final String CONFIG_FILE = "seer.yaml";
    public static final String DEFAULT_HOME = ".seer";

    private final Path root;

    private SeerHome(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /** The home named by {@code --home}, else {@code SEER_HOME}, else {@code ./.seer}. */
    public static Path locate(String flag, Map<String, String> environment) {
        if (flag != null && !flag.isBlank()) {
            return Path.of(flag);
        }
        String variable = environment.get("SEER_HOME");
        return Path.of(variable != null && !variable.isBlank() ? variable : DEFAULT_HOME);
    }

    /** Opens an initialised home; fails with a hint to run {@code seer init} otherwise. */
    public static SeerHome open(Path root) {
        SeerHome home = new SeerHome(root);
        if (!Files.isRegularFile(home.configFile())) {
            throw new SeerException(CoreErrorCode.HOME_NOT_INITIALISED,
                    "No Seer home at [" + home.root + "]: run `seer init` first (or pass --home)",
                    Map.of("home", home.root.toString()));
        }
        return home;
    }

    /** Creates the folder and a {@code seer.yaml} of only comments; fails if the home already exists. */
    public static SeerHome create(Path root) {
        return create(root, List.of());
    }

    /**
     * Creates the folder and a default {@code seer.yaml} listing every key of {@code sections};
     * fails if the home already exists.
     */
    public static SeerHome create(Path root, List<ConfigSection<?>> sections) {
        SeerHome home = new SeerHome(root);
        if (Files.exists(home.configFile())) {
            throw new SeerException(CoreErrorCode.HOME_ALREADY_INITIALISED,
                    "A Seer home already exists at [" + home.root + "]", Map.of("home", home.root.toString()));
        }
        try {
            Files.createDirectories(home.runDirectory());
            Files.writeString(home.configFile(), SeerConfig.defaultYaml(sections), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.HOME_IO, "Cannot create home [" + home.root + "]: " + e.getMessage(),
                    Map.of("home", home.root.toString()), e);
        }
        return home;
    }

    public Path root() {
        return root;
    }

    public Path configFile() {
        return root.resolve(CONFIG_FILE);
    }

    /** Files that only live while a process owns the home: its owner record and local token. */
    public Path runDirectory() {
        return root.resolve("run");
    }

    /** The home's {@code seer.yaml} read into {@code sections}, with overrides from {@code environment}. */
    public SeerConfig loadConfig(Map<String, String> environment, List<ConfigSection<?>> sections) {
        return SeerConfig.load(configFile(), environment, sections);
    }

    /**
     * Takes ownership of the home; fails naming the owner if another process has it. The owner
     * record says since when by {@code clock}.
     */
    public HomeLock lock(String command, Clock clock) {
        return HomeLock.acquire(this, command, requireNonNull(clock, "clock is null"));
    }

    /** Who owns the home now, if anyone. */
    public Optional<HomeOwner> owner() {
        return HomeLock.currentOwner(this);
    }

    Path lockFile() {
        return root.resolve("seer.lock");
    }

    Path ownerFile() {
        return runDirectory().resolve("owner.json");
    }

    void ensureRunDirectory() {
        try {
            Files.createDirectories(runDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
