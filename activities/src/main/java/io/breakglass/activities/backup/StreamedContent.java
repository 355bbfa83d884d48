package io.breakglass.activities.backup;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The content of a streamed {@link ArtifactFrames} entry, read chunk by chunk from the backup
 * itself; it ends at the entry's closing zero-length chunk. Damage (a chunk length out of range,
 * the backup ending inside the entry) is an {@link UnusableBackupException} naming the entry and
 * its key. Closing it leaves the backup open.
 */
final class StreamedContent extends InputStream {

  private final DataInputStream in;
  private final String entry;
  private int left;
  private boolean ended;

  /**
   * @param entry how errors name the entry: the backup, its number and its key, never content
   */
  StreamedContent(DataInputStream in, String entry) {
    this.in = in;
    this.entry = entry;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return 0;
    }
    try {
      if (left == 0 && !ended) {
        nextChunk();
      }
      if (ended) {
        return -1;
      }
      int n = in.read(bytes, offset, Math.min(length, left));
      if (n == -1) {
        throw new EOFException();
      }
      left -= n;
      return n;
    } catch (EOFException e) {
      throw new UnusableBackupException(entry + " is cut short");
    }
  }

  /** Reads past whatever is left of the entry, so the next entry can be read. */
  void skipRest() throws IOException {
    transferTo(OutputStream.nullOutputStream());
  }

  @Override
  public void close() {
    // the backup stream belongs to its reader
  }

  private void nextChunk() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > ArtifactFrames.CHUNK_BYTES) {
      throw new UnusableBackupException(entry + " has a chunk length of " + length);
    }
    left = length;
    ended = length == 0;
  }
}
