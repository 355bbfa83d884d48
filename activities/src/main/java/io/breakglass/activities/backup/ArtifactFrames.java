package io.breakglass.activities.backup;

import io.breakglass.activities.data.StoredItem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The plaintext of an artifact backup: one entry per file or object, back to back; the stream's end
 * is the end of the last entry. Format 2, written since large objects are backed up:
 *
 * <pre>
 *   type (1 byte) | path length (4 bytes, big-endian) | path (UTF-8, relative, '/' separators) | body
 *   type 1, whole:    content length (8 bytes) | content (the stored envelope)
 *   type 2, streamed: chunks of {length (4 bytes, 1 to CHUNK_BYTES) | content}, then a length 0
 * </pre>
 *
 * A streamed entry never holds more than one chunk in memory, on either side, and needs no length
 * up front. Format 1, read only: {@code path length | path | content length | content}, every entry
 * whole.
 */
final class ArtifactFrames {

  /** Longer paths are not artifact keys: the length field is damaged. */
  static final int MAX_PATH_BYTES = 4_096;

  /** Content bytes per chunk of a streamed entry, at most. */
  static final int CHUNK_BYTES = 1 << 20;

  static final int WHOLE = 1;
  static final int STREAMED = 2;

  private ArtifactFrames() {}

  /** Writes a whole entry (format 2). */
  static void writeWhole(DataOutputStream out, StoredItem item) throws IOException {
    writeHead(out, WHOLE, item.key());
    out.writeLong(item.value().length);
    out.write(item.value());
  }

  /** Writes a streamed entry (format 2): {@code content} to its end, a chunk at a time. */
  static void writeStreamed(DataOutputStream out, String key, InputStream content)
      throws IOException {
    writeHead(out, STREAMED, key);
    byte[] chunk = new byte[CHUNK_BYTES];
    int n;
    while ((n = content.readNBytes(chunk, 0, chunk.length)) > 0) {
      out.writeInt(n);
      out.write(chunk, 0, n);
    }
    out.writeInt(0);
  }

  private static void writeHead(DataOutputStream out, int type, String key) throws IOException {
    byte[] path = key.getBytes(StandardCharsets.UTF_8);
    out.writeByte(type);
    out.writeInt(path.length);
    out.write(path);
  }

  /** Reads entries back one at a time, in either format. */
  static final class Reader implements BackupItems {

    private final DataInputStream in;
    private final String backupId;
    private final boolean typed;
    private long number;
    private StreamedContent open;

    /**
     * @param formatVersion the manifest's: 1 (untyped entries) or 2
     */
    Reader(InputStream in, String backupId, int formatVersion) {
      this.in = new DataInputStream(in);
      this.backupId = backupId;
      this.typed = formatVersion >= 2;
    }

    @Override
    public BackupEntry next() throws IOException {
      if (open != null) {
        open.skipRest();
        open = null;
      }
      int first = in.read();
      if (first == -1) {
        return null;
      }
      number++;
      try {
        int type = typed ? first : WHOLE;
        if (type != WHOLE && type != STREAMED) {
          throw unusable("has type " + type);
        }
        int pathLength =
            typed
                ? in.readInt()
                : (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        if (pathLength <= 0 || pathLength > MAX_PATH_BYTES) {
          throw unusable("has a path length of " + pathLength);
        }
        byte[] path = new byte[pathLength];
        in.readFully(path);
        String key = new String(path, StandardCharsets.UTF_8);
        if (type == STREAMED) {
          open =
              new StreamedContent(
                  in, "backup " + backupId + ": entry " + number + " (" + key + ")");
          return new BackupEntry.Streamed(key, open);
        }
        long contentLength = in.readLong();
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 16) {
          throw unusable("has a content length of " + contentLength);
        }
        byte[] content = new byte[(int) contentLength];
        in.readFully(content);
        return new BackupEntry.Whole(new StoredItem(key, content));
      } catch (EOFException e) {
        throw unusable("is cut short");
      }
    }

    private UnusableBackupException unusable(String why) {
      return new UnusableBackupException("backup " + backupId + ": entry " + number + " " + why);
    }
  }
}
