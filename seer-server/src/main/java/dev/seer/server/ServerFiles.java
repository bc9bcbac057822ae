package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.Ids;
import dev.seer.core.SeerException;
import dev.seer.core.home.SeerHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The server folders a request may name: the home's own {@code files/} and the folders listed in
 * {@code files.roots}. Nothing else a request carries reaches the file system: remote callers
 * upload inputs and download outputs ({@link RequestFiles}); a path in a request is accepted
 * only when, after every check below, it lies inside one of these roots.
 *
 * <p>The checks, in order: the text must not hold a control character, a backslash or a
 * percent-encoded byte (JSON has already decoded what the client sent; a {@code %2e%2e} left
 * in it is either an attack on a later decoder or a mistake, so it is refused, not guessed
 * at); a relative path is taken inside the first root; {@code ..} is resolved lexically and the
 * result must lie inside a root; then the longest part of it that exists is resolved through
 * the file system ({@code toRealPath}, following symbolic links) and must still lie inside a
 * root's real path. The path handed on is that real one, with no {@code ..} and no link left in
 * its existing part, so what was checked is what is opened. A folder inside a root that someone
 * with shell access on the server swaps for a link between the check and the use is not
 * covered: roots are the operator's folders, and no route creates links.
 */
final class ServerFiles {
    static final String HOME_FILES = "files";
    private static final Pattern PERCENT_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");

    private final List<Path> roots;
    private final Path uploads;
    private final long maxUploadBytes;
    private final Ids ids;

    ServerFiles(List<Path> roots, Path uploads, long maxUploadBytes, Clock clock) {
        requireNonNull(roots, "roots is null");
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one root is needed");
        }
        this.roots = roots.stream().map(ServerFiles::real).toList();
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.maxUploadBytes = maxUploadBytes;
        this.ids = new Ids(clock);
    }

    /** The home's {@code files/} (created if absent) and the configured roots, which must exist. */
    static ServerFiles of(SeerHome home, FilesConfig config, Clock clock) {
        List<Path> roots = new ArrayList<>();
        Path own = home.root().resolve(HOME_FILES);
        try {
            Files.createDirectories(own);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + own, e);
        }
        roots.add(own);
        for (String root : config.roots()) {
            if (!Files.isDirectory(Path.of(root))) {
                throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "Config key [files.roots] names [" + root
                        + "], which is not a folder", Map.of("key", "files.roots", "value", root));
            }
            roots.add(Path.of(root));
        }
        return new ServerFiles(roots, home.runDirectory().resolve("uploads"), config.maxUploadBytes(), clock);
    }

    /** The roots as real paths; the first is where relative paths are taken. */
    List<Path> roots() {
        return roots;
    }

    /** Where a request's uploads are kept while it runs. */
    Path uploads() {
        return uploads;
    }

    /** A new folder name for one request's uploads. */
    String nextUploadId() {
        return ids.next("upload");
    }

    long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * The path a request names in {@code field}, checked: a real path inside a root (it may not
     * exist yet; the service then says so, or creates it).
     */
    Path resolve(String field, String requested) {
        requireNonNull(requested, "requested is null");
        refuseEncodings(field, requested);
        Path normal;
        try {
            Path given = Path.of(requested);
            normal = (given.isAbsolute() ? given : roots.get(0).resolve(given)).normalize();
        } catch (InvalidPathException e) {
            throw refused(field, requested, "malformed", "is not a valid path");
        }
        if (roots.stream().noneMatch(normal::startsWith)) {
            throw refused(field, requested, "outside-roots", "is outside the server folders requests may use");
        }
        Path real = realOfExistingPart(normal);
        if (roots.stream().noneMatch(real::startsWith)) {
            throw refused(field, requested, "link-outside-roots", "leads through a symbolic link outside the server"
                    + " folders requests may use");
        }
        return real;
    }

    /** Checks {@code path}, which the server itself read from a definition, as {@link #resolve} does. */
    Path check(String field, Path path) {
        return resolve(field, path.toString());
    }

    private static void refuseEncodings(String field, String requested) {
        for (int i = 0; i < requested.length(); i++) {
            if (Character.isISOControl(requested.charAt(i))) {
                throw refused(field, requested, "control-character", "holds a control character");
            }
        }
        if (requested.indexOf('\\') >= 0) {
            throw refused(field, requested, "backslash", "holds a backslash; use / between folders");
        }
        if (PERCENT_ENCODED.matcher(requested).find()) {
            throw refused(field, requested, "encoded", "holds a percent-encoded character; send the path decoded");
        }
        if (requested.isBlank()) {
            throw refused(field, requested, "empty", "is empty");
        }
    }

    /** The existing ancestor resolved through the file system, with the part that does not exist yet appended. */
    private static Path realOfExistingPart(Path normal) {
        Path existing = normal;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return normal;
        }
        return real(existing).resolve(existing.relativize(normal));
    }

    private static Path real(Path path) {
        try {
            return path.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve " + path, e);
        }
    }

    private static SeerException refused(String field, String requested, String rule, String what) {
        String shown = requested.length() > 200 ? requested.substring(0, 200) + "..." : requested;
        return new SeerException(ServerErrorCode.PATH_NOT_ALLOWED, "Field [" + field + "] path [" + shown.replaceAll(
                "\\p{Cntrl}", "?") + "] " + what + " (rule " + rule + "): send the file with the request instead, or"
                + " ask an admin to add its folder to files.roots", Map.of("field", field, "rule", rule));
    }
}
