package io.breakglass.activities.backup;

import io.breakglass.activities.config.DatabaseDumpConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The PostgreSQL client programs a whole-database backup runs: {@code pg_dump} and {@code
 * pg_restore}, from the configured folder or the worker's {@code PATH}. The embedded PostgreSQL of
 * the development stack ships neither; Debian's {@code postgresql-client} has both.
 *
 * @param pgDump the {@code pg_dump} executable
 * @param pgRestore the {@code pg_restore} executable
 */
public record PgTools(Path pgDump, Path pgRestore) {

  /** Why the tools are missing, for the timeline and {@code check}. */
  public static String missing(DatabaseDumpConfig config) {
    return "pg_dump and pg_restore are not both found "
        + (config.binDirectory() == null ? "on the worker's PATH" : "in " + config.binDirectory())
        + " (Debian: apt-get install postgresql-client)";
  }

  /** Both programs, or empty when either is missing. */
  public static Optional<PgTools> find(DatabaseDumpConfig config) {
    Optional<Path> dump = executable(config.binDirectory(), "pg_dump");
    Optional<Path> restore = executable(config.binDirectory(), "pg_restore");
    return dump.isPresent() && restore.isPresent()
        ? Optional.of(new PgTools(dump.get(), restore.get()))
        : Optional.empty();
  }

  private static Optional<Path> executable(Path folder, String name) {
    if (folder != null) {
      return runnable(folder.resolve(name));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Optional<Path> found = entry.isEmpty() ? Optional.empty() : runnable(Path.of(entry, name));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> runnable(Path candidate) {
    return Files.isRegularFile(candidate) && Files.isExecutable(candidate)
        ? Optional.of(candidate)
        : Optional.empty();
  }
}
