package io.breakglass.activities.backup;

import io.breakglass.activities.data.StoredItem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The plaintext of an artifact backup: one entry per file, back to back, each {@code path length
 * (4 bytes, big-endian) | path (UTF-8, relative, '/' separators) | content length (8 bytes) |
 * content (the stored envelope)}. The stream's end is the end of the last entry.
 */
final class ArtifactFrames {

  /** Longer paths are not artifact keys: the length field is damaged. */
  static final int MAX_PATH_BYTES = 4_096;

  private ArtifactFrames() {}

  static void write(DataOutputStream out, StoredItem item) throws IOException {
    byte[] path = item.key().getBytes(StandardCharsets.UTF_8);
    out.writeInt(path.length);
    out.write(path);
    out.writeLong(item.value().length);
    out.write(item.value());
  }

  /** Reads entries back one at a time. */
  static final class Reader implements BackupItems {

    private final DataInputStream in;
    private final String backupId;
    private long number;

    Reader(InputStream in, String backupId) {
      this.in = new DataInputStream(in);
      this.backupId = backupId;
    }

    @Override
    public StoredItem next() throws IOException {
      int first = in.read();
      if (first == -1) {
        return null;
      }
      number++;
      try {
        int pathLength = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        if (pathLength <= 0 || pathLength > MAX_PATH_BYTES) {
          throw unusable("has a path length of " + pathLength);
        }
        byte[] path = new byte[pathLength];
        in.readFully(path);
        long contentLength = in.readLong();
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 16) {
          throw unusable("has a content length of " + contentLength);
        }
        byte[] content = new byte[(int) contentLength];
        in.readFully(content);
        return new StoredItem(new String(path, StandardCharsets.UTF_8), content);
      } catch (EOFException e) {
        throw unusable("is cut short");
      }
    }

    private UnusableBackupException unusable(String why) {
      return new UnusableBackupException("backup " + backupId + ": entry " + number + " " + why);
    }
  }
}
