package io.breakglass.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breakglass.workflows.messages.values.DataSetType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON file beside a backup that says what it holds and how to check it. It holds names, counts
 * and a checksum, never item content or key material.
 *
 * @param formatVersion {@value #FORMAT_VERSION} (or {@value #FIRST_FORMAT_VERSION}, still read)
 * @param backupId {@code <rotationId>/<dataSet>}
 * @param dataSet the data set
 * @param type what kind of data set; it fixes the plaintext layout inside the backup
 * @param table for a table: its name and columns (the plaintext is its {@code COPY} text output)
 * @param directory for artifacts: the folder or {@code s3://bucket/prefix} they came from (the
 *     plaintext is framed entries)
 * @param items rows (tables, including rows without an envelope) or files (artifacts)
 * @param bytes size of the encrypted backup file
 * @param sha256 hex SHA-256 of the encrypted backup file
 * @param backupKeyId the key the backup is encrypted under (also in its header)
 * @param createdAt when the backup was written, ISO-8601
 */
public record BackupManifest(
    int formatVersion,
    String backupId,
    String dataSet,
    DataSetType type,
    Table table,
    String directory,
    long items,
    long bytes,
    String sha256,
    String backupKeyId,
    String createdAt) {

  /**
   * The layout this code writes: version 1 with typed artifact entries, so large objects can be
   * streamed (see {@link ArtifactFrames}). Table backups are the same in both.
   */
  public static final int FORMAT_VERSION = 2;

  /** The first layout, written before large objects were backed up; still read. */
  public static final int FIRST_FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A table as it was copied.
   *
   * @param name the table, as configured (optionally schema-qualified)
   * @param idColumn the bigint key
   * @param envelopeColumn the column that holds envelopes
   * @param envelopeType its PostgreSQL type ({@code jsonb}, {@code json}, {@code text}, {@code
   *     bytea})
   * @param columns every column, in {@code COPY} order
   */
  public record Table(
      String name,
      String idColumn,
      String envelopeColumn,
      String envelopeType,
      List<String> columns) {

    public Table {
      columns = List.copyOf(columns);
    }
  }

  void write(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      JSON.writeValue(out, this);
    }
  }

  /**
   * Reads a manifest.
   *
   * @throws java.nio.file.NoSuchFileException when there is none
   * @throws com.fasterxml.jackson.core.JacksonException when it is not a manifest
   */
  static BackupManifest read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return JSON.readValue(in, BackupManifest.class);
    }
  }
}
