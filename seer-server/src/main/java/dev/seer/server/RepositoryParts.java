package dev.seer.server;

import dev.seer.core.SeerException;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.RepositoryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A feature repository sent to a server for plan or apply: its YAML files, and the data files of
 * its file sources that lie inside its folder, each as a part {@code repository} named by its
 * path relative to that folder. The server keeps them under
 * {@code files/repositories/<name>}, so relative source paths mean there what they mean here. A
 * source path outside the folder is sent as written and must name a file inside the server's
 * file roots.
 */
final class RepositoryParts {
    static final String PART = "repository";

    private RepositoryParts() {}

    static Operation.FileInput.Upload of(Path location) {
        Path absolute = location.toAbsolutePath().normalize();
        boolean single = Files.isRegularFile(absolute);
        Path base = single ? absolute.getParent() : absolute;
        Set<Path> files = new LinkedHashSet<>(single ? Set.of(absolute) : yamlFiles(absolute));
        files.addAll(dataFiles(absolute, base));
        List<Operation.FileInput.FilePart> parts = files.stream()
                .map(file -> new Operation.FileInput.FilePart(PART, relative(base, file), file)).toList();
        return new Operation.FileInput.Upload(parts, Map.of("name", name(absolute, single)));
    }

    private static Set<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Set.of(); // the server answers with the usual "no definition file or folder"
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return new LinkedHashSet<>(listing.filter(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"));
            }).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }

    /** The files sources read inside the repository's folder; a repository that does not load sends its YAML alone. */
    private static Set<Path> dataFiles(Path location, Path base) {
        Set<Path> data = new LinkedHashSet<>();
        try {
            for (Definitions.Source source : RepositoryLoader.load(location).sources()) {
                if (!source.streaming()) {
                    Path path = Path.of(source.path()).normalize();
                    if (path.startsWith(base) && Files.isRegularFile(path)) {
                        data.add(path);
                    }
                }
            }
        } catch (SeerException e) {
            // the server loads it again and reports the problem with its file and line
        }
        return data;
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** The folder's name (or the file's, without extension), as the server's folder name for it. */
    private static String name(Path location, boolean single) {
        String name = location.getFileName() == null ? "repository" : location.getFileName().toString();
        if (single && name.lastIndexOf('.') > 0) {
            name = name.substring(0, name.lastIndexOf('.'));
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "repository" + cleaned : cleaned;
    }
}
