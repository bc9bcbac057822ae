package dev.seer.server;

import dev.seer.core.home.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Folder operations of the HTTP layer's file handling. */
final class Folders {
    private Folders() {}

    /**
     * Puts {@code incoming} in the place of {@code target}: the old folder is moved aside and
     * removed, so a reader sees the old tree or the new one, and a failed move leaves the old.
     */
    static void replace(Path target, Path incoming) {
        try {
            Files.createDirectories(target.getParent());
            Path old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot put the uploaded folder in place of " + target, e);
        }
    }
}
