package io.breakglass.worker.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads PostgreSQL's binary {@code COPY} format one row at a time from a stream, holding one row:
 * the 11-byte signature, a 32-bit flags field (no critical flag may be set, and no row OIDs), a
 * header extension (skipped), then per row a 16-bit field count and per field a 32-bit length
 * ({@code -1} for NULL) and that many bytes, and last a field count of {@code -1}. All integers are
 * big-endian. A stream that ends anywhere else, or says anything else, fails with an {@link
 * IOException} that says where.
 */
final class CopyBinaryReader {

  static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

  /** Bits 0-15 are critical (a reader must stop on one it does not know); bit 16: OIDs. */
  private static final int UNSUPPORTED_FLAGS = 0x0001_ffff;

  private final DataInputStream in;
  private final int columns;
  private long rows;
  private boolean ended;

  /** Reads and checks the header of {@code in}, whose rows must have {@code columns} fields. */
  CopyBinaryReader(InputStream in, int columns) throws IOException {
    this.in = new DataInputStream(in);
    this.columns = columns;
    try {
      byte[] signature = new byte[SIGNATURE.length];
      this.in.readFully(signature);
      if (!Arrays.equals(signature, SIGNATURE)) {
        throw new IOException("not a binary COPY stream: its signature is wrong");
      }
      int flags = this.in.readInt();
      if ((flags & UNSUPPORTED_FLAGS) != 0) {
        throw new IOException(
            "binary COPY header flags not supported: " + Integer.toHexString(flags));
      }
      int extension = this.in.readInt();
      if (extension < 0) {
        throw new IOException("binary COPY header extension of negative length " + extension);
      }
      this.in.readFully(new byte[extension]);
    } catch (EOFException e) {
      throw truncated("inside its header", e);
    }
  }

  /**
   * The next row's fields in column order, each null for SQL NULL; null after the last row, once
   * the trailer and the end of the stream right after it have been read.
   */
  byte[][] next() throws IOException {
    if (ended) {
      return null;
    }
    short count;
    try {
      count = in.readShort();
    } catch (EOFException e) {
      throw truncated("where row " + (rows + 1) + " or its trailer should begin", e);
    }
    if (count == -1) {
      if (in.read() != -1) {
        throw new IOException("binary COPY stream goes on after its trailer");
      }
      ended = true;
      return null;
    }
    rows++;
    if (count != columns) {
      throw new IOException(
          "binary COPY row " + rows + " has " + count + " fields, expected " + columns);
    }
    byte[][] fields = new byte[columns][];
    try {
      for (int i = 0; i < columns; i++) {
        int length = in.readInt();
        if (length < -1) {
          throw new IOException("binary COPY row " + rows + " has a field of length " + length);
        }
        if (length >= 0) {
          fields[i] = new byte[length];
          in.readFully(fields[i]);
        }
      }
    } catch (EOFException e) {
      throw truncated("inside row " + rows, e);
    }
    return fields;
  }

  /** A {@code bigint} field: 8 bytes, big-endian. */
  static long int8(byte[] field) throws IOException {
    if (field == null || field.length != Long.BYTES) {
      throw new IOException(
          "a binary bigint is 8 bytes, got "
              + (field == null ? "NULL" : String.valueOf(field.length)));
    }
    long value = 0;
    for (byte b : field) {
      value = value << 8 | (b & 0xff);
    }
    return value;
  }

  private static EOFException truncated(String where, EOFException cause) {
    EOFException e = new EOFException("binary COPY stream ends " + where);
    e.initCause(cause);
    return e;
  }
}
