package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The binary COPY parser on streams written by hand to the format PostgreSQL documents. */
class CopyBinaryReaderTest {

  @Test
  void rowsComeBackInOrder_withBigintsNullsAndText_thenTheEndAfterTheTrailer() throws IOException {
    byte[] stream = stream(true, row(1L, "{\"a\":1}"), row(-7L, null), row(Long.MAX_VALUE, ""));

    CopyBinaryReader reader = new CopyBinaryReader(new ByteArrayInputStream(stream), 2);

    byte[][] first = reader.next();
    assertThat(CopyBinaryReader.int8(first[0])).isEqualTo(1L);
    assertThat(new String(first[1], StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    byte[][] second = reader.next();
    assertThat(CopyBinaryReader.int8(second[0])).isEqualTo(-7L);
    assertThat(second[1]).isNull();
    byte[][] third = reader.next();
    assertThat(CopyBinaryReader.int8(third[0])).isEqualTo(Long.MAX_VALUE);
    assertThat(third[1]).isEmpty();
    assertThat(reader.next()).isNull();
    assertThat(reader.next()).isNull();
  }

  @Test
  void aHeaderExtensionIsSkipped() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(CopyBinaryReader.SIGNATURE);
    out.writeInt(0);
    out.writeInt(3);
    out.write(new byte[] {9, 9, 9});
    out.write(row(42L, "x"));
    out.writeShort(-1);

    CopyBinaryReader reader =
        new CopyBinaryReader(new ByteArrayInputStream(bytes.toByteArray()), 2);

    assertThat(CopyBinaryReader.int8(reader.next()[0])).isEqualTo(42L);
    assertThat(reader.next()).isNull();
  }

  @Test
  void negativeControl_aStreamCutInsideARow_failsAndSaysWhere() throws IOException {
    byte[] whole = stream(true, row(1L, "first"), row(2L, "second"));
    byte[] cut = Arrays.copyOf(whole, whole.length - 2 - 3);

    CopyBinaryReader reader = new CopyBinaryReader(new ByteArrayInputStream(cut), 2);

    assertThat(CopyBinaryReader.int8(reader.next()[0])).isEqualTo(1L);
    assertThatThrownBy(reader::next)
        .isInstanceOf(EOFException.class)
        .hasMessage("binary COPY stream ends inside row 2");
  }

  @Test
  void negativeControl_aStreamWithoutItsTrailer_failsRatherThanLookingComplete()
      throws IOException {
    CopyBinaryReader reader =
        new CopyBinaryReader(new ByteArrayInputStream(stream(false, row(1L, "only"))), 2);

    reader.next();
    assertThatThrownBy(reader::next)
        .isInstanceOf(EOFException.class)
        .hasMessage("binary COPY stream ends where row 2 or its trailer should begin");
  }

  @Test
  void aCutHeader_aWrongSignature_aWrongFieldCount_andDataAfterTheTrailer_allFail()
      throws IOException {
    byte[] good = stream(true, row(1L, "x"));
    assertThatThrownBy(
            () -> new CopyBinaryReader(new ByteArrayInputStream(Arrays.copyOf(good, 14)), 2))
        .isInstanceOf(EOFException.class)
        .hasMessage("binary COPY stream ends inside its header");

    byte[] text = "1\t{\"note\": \"COPY in text format\"}\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new CopyBinaryReader(new ByteArrayInputStream(text), 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("signature");

    CopyBinaryReader threeColumns = new CopyBinaryReader(new ByteArrayInputStream(good), 3);
    assertThatThrownBy(threeColumns::next).hasMessage("binary COPY row 1 has 2 fields, expected 3");

    byte[] longer = Arrays.copyOf(good, good.length + 1);
    CopyBinaryReader extra = new CopyBinaryReader(new ByteArrayInputStream(longer), 2);
    extra.next();
    assertThatThrownBy(extra::next).hasMessage("binary COPY stream goes on after its trailer");

    assertThatThrownBy(() -> CopyBinaryReader.int8(new byte[4]))
        .hasMessage("a binary bigint is 8 bytes, got 4");
  }

  private static byte[] stream(boolean trailer, byte[]... rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(CopyBinaryReader.SIGNATURE);
    out.writeInt(0);
    out.writeInt(0);
    for (byte[] row : rows) {
      out.write(row);
    }
    if (trailer) {
      out.writeShort(-1);
    }
    return bytes.toByteArray();
  }

  private static byte[] row(long id, String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(2);
    out.writeInt(Long.BYTES);
    out.writeLong(id);
    if (text == null) {
      out.writeInt(-1);
    } else {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
    return bytes.toByteArray();
  }
}
