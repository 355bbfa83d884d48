package io.breakglass.activities.backup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a backup lives: {@code <backups>/<rotationId>/<dataSet>.bgbak} and its manifest {@code
 * <dataSet>.manifest.json} beside it. An attempt writes hidden {@code .partial} files first and
 * renames them at the end, so a retry overwrites what a killed attempt left behind.
 *
 * @param backupId {@code <rotationId>/<dataSet>}
 * @param dataSet the data set part of the id
 * @param folder the rotation's folder
 * @param file the encrypted backup
 * @param manifest its manifest
 * @param partialFile the backup while it is written
 * @param partialManifest the manifest while it is written
 */
record BackupLocation(
    String backupId,
    String dataSet,
    Path folder,
    Path file,
    Path manifest,
    Path partialFile,
    Path partialManifest) {

  /** A rotation id or data set name that is safe as one path element. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The id of the backup a rotation makes of a data set. */
  static String backupId(String rotationId, String dataSet) {
    return rotationId + "/" + dataSet;
  }

  /**
   * The location of {@code backupId} under {@code directory}.
   *
   * @throws IllegalArgumentException when the id is not {@code <rotationId>/<dataSet>} of plain
   *     names
   */
  static BackupLocation of(Path directory, String backupId) {
    String[] parts = backupId == null ? new String[0] : backupId.split("/", -1);
    if (parts.length != 2
        || !NAME.matcher(parts[0]).matches()
        || !NAME.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException(
          "backup id "
              + backupId
              + " is not <rotationId>/<dataSet> of letters, digits, '.', '_' and '-'");
    }
    Path folder = directory.resolve(parts[0]);
    String name = parts[1];
    return new BackupLocation(
        backupId,
        name,
        folder,
        folder.resolve(name + ".bgbak"),
        folder.resolve(name + ".manifest.json"),
        folder.resolve("." + name + ".bgbak.partial"),
        folder.resolve("." + name + ".manifest.json.partial"));
  }

  /**
   * Binds the backup's ciphertext to its id: a backup file put in another's place does not decrypt.
   */
  byte[] associatedData() {
    return ("breakglass-backup:" + backupId).getBytes(StandardCharsets.UTF_8);
  }
}
