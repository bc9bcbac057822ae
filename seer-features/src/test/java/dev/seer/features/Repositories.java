package dev.seer.features;

import dev.seer.core.catalog.Catalog;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureRegistryTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixture: the repository of {@link FeatureRegistryTest#REPOSITORY} with a given transactions file, applied. */
public final class Repositories {
    private Repositories() {}

    /** Writes {@code dir/repo} with {@code transactions} as its CSV source and applies it to {@code catalog}. */
    public static void applyWith(Catalog catalog, Path dir, String repository, String transactions) throws IOException {
        Files.createDirectories(dir.resolve("repo/data"));
        Files.writeString(dir.resolve("repo/repo.yaml"), repository);
        Files.writeString(dir.resolve("repo/data/transactions.csv"), transactions);
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
    }
}
