package dev.seer.core.home;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Removing a folder and everything in it. Links are removed, never followed: a link inside the
 * tree (or the tree's root itself being a link) to somewhere outside leaves that place as it was.
 */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code root} and everything under it; an absent root is fine. */
    public static void delete(Path root) {
        try {
            Files.walkFileTree(root, new Remover());
        } catch (NoSuchFileException e) {
            // absent, or removed by someone else meanwhile: either way it is gone
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.HOME_IO, "Cannot remove [" + root + "]: " + e.getMessage(),
                    Map.of("path", root.toString()), e);
        }
    }

    /**
     * Deletes what it can of {@code root}, for clean-up after another error (that error is the one
     * to report) or of temporary folders; returns whether everything went.
     */
    public static boolean deleteQuietly(Path root) {
        try {
            delete(root);
            return true;
        } catch (SeerException e) {
            return false;
        }
    }

    /** Walks without following links, so a link is visited as a file and removed as one. */
    private static final class Remover extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
            if (failure != null) {
                throw failure;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
        }
    }
}
