package io.breakglass.activities.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Passes a stream through and writes every byte read to a copy as well. */
final class CopyingInputStream extends FilterInputStream {

  private final OutputStream copy;

  CopyingInputStream(InputStream in, OutputStream copy) {
    super(in);
    this.copy = copy;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b != -1) {
      copy.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    int n = in.read(bytes, offset, length);
    if (n > 0) {
      copy.write(bytes, offset, n);
    }
    return n;
  }
}
