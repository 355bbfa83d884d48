package io.breakglass.activities.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the rows of a table backup's plaintext ({@code COPY} text output) one line at a time, and
 * picks out each row's id and envelope with the column positions its manifest names.
 */
final class CopyRows {

  private final InputStream in;
  private final String backupId;
  private final int columns;
  private final int idIndex;
  private final int envelopeIndex;
  private final boolean bytea;
  private final byte[] buffer = new byte[1 << 16];
  private byte[] line = new byte[1 << 12];
  private int position;
  private int limit;
  private long number;

  /**
   * A row of the backup.
   *
   * @param number its line number, from 1
   * @param line the line as copied, without its newline (what {@code COPY FROM} takes back)
   * @param id the row's id, as decimal text
   * @param envelope the stored envelope, exactly as the store reads it, or null when the column is
   *     null
   */
  record Row(long number, byte[] line, String id, byte[] envelope) {}

  /**
   * @throws UnusableBackupException when the manifest does not name the id or envelope column
   */
  CopyRows(InputStream in, BackupManifest manifest) {
    BackupManifest.Table table = manifest.table();
    if (table == null) {
      throw new UnusableBackupException(
          "backup " + manifest.backupId() + ": the manifest describes no table");
    }
    List<String> names = table.columns();
    this.in = in;
    this.backupId = manifest.backupId();
    this.columns = names.size();
    this.idIndex = names.indexOf(table.idColumn());
    this.envelopeIndex = names.indexOf(table.envelopeColumn());
    this.bytea = "bytea".equals(table.envelopeType());
    if (idIndex < 0 || envelopeIndex < 0) {
      throw new UnusableBackupException(
          "backup "
              + backupId
              + ": the manifest's columns do not include "
              + table.idColumn()
              + " and "
              + table.envelopeColumn());
    }
  }

  /**
   * The next row, or null after the last.
   *
   * @throws UnusableBackupException when a line is not a row of the manifest's columns
   */
  Row next() throws IOException {
    byte[] text = readLine();
    if (text == null) {
      return null;
    }
    number++;
    List<byte[]> fields = CopyText.split(text);
    if (fields.size() != columns) {
      throw unusable(
          "has " + fields.size() + " fields where the manifest names " + columns + " columns");
    }
    try {
      byte[] id = fields.get(idIndex);
      if (CopyText.isNull(id)) {
        throw unusable("has no id");
      }
      byte[] envelope = fields.get(envelopeIndex);
      byte[] value = null;
      if (!CopyText.isNull(envelope)) {
        value = bytea ? CopyText.bytea(CopyText.unescape(envelope)) : CopyText.unescape(envelope);
      }
      return new Row(
          number, text, new String(CopyText.unescape(id), StandardCharsets.UTF_8), value);
    } catch (IllegalArgumentException e) {
      throw unusable(e.getMessage());
    }
  }

  private byte[] readLine() throws IOException {
    int length = 0;
    while (true) {
      if (position == limit) {
        int n = in.read(buffer);
        if (n == -1) {
          if (length == 0) {
            return null;
          }
          number++;
          throw unusable("ends without its newline");
        }
        position = 0;
        limit = n;
      }
      int end = position;
      while (end < limit && buffer[end] != '\n') {
        end++;
      }
      int n = end - position;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(buffer, position, line, length, n);
      length += n;
      position = end;
      if (end < limit) {
        position++;
        return Arrays.copyOf(line, length);
      }
    }
  }

  private UnusableBackupException unusable(String why) {
    return new UnusableBackupException("backup " + backupId + ": row " + number + " " + why);
  }
}
