package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** COPY text parsing, checked against what a real PostgreSQL writes and reads. */
class CopyTextTest {

  private static final String ALPHABET =
      "ab N x\\\t\n\r\b\f\u000b\u0001\u001f0179\"'é☃\uD834\uDD1E";

  private final TestPostgres.Database database = TestPostgres.newDatabase();

  @Test
  void everyFieldPostgresCopiesOut_parsesBackToTheValueItStores() throws Exception {
    database.jdbi().useHandle(h -> h.execute("CREATE TABLE t (id bigint, note text, raw bytea)"));
    Random random = new Random(1234);
    List<String> notes = new ArrayList<>();
    List<byte[]> raws = new ArrayList<>();
    database
        .jdbi()
        .useHandle(
            h -> {
              PreparedBatch batch = h.prepareBatch("INSERT INTO t VALUES (?, ?, ?)");
              for (int id = 0; id < 300; id++) {
                String note = random.nextInt(10) == 0 ? null : text(random);
                byte[] raw = random.nextInt(10) == 0 ? null : bytes(random);
                notes.add(note);
                raws.add(raw);
                batch.add(id, note, raw);
              }
              batch.execute();
            });

    List<byte[]> lines = copyOut("COPY (SELECT * FROM t ORDER BY id) TO STDOUT");

    assertThat(lines).hasSize(300);
    for (int id = 0; id < 300; id++) {
      List<byte[]> fields = CopyText.split(lines.get(id));
      assertThat(fields).hasSize(3);
      assertThat(new String(CopyText.unescape(fields.get(0)), StandardCharsets.UTF_8))
          .isEqualTo(Integer.toString(id));
      assertThat(CopyText.isNull(fields.get(1))).isEqualTo(notes.get(id) == null);
      if (notes.get(id) != null) {
        assertThat(new String(CopyText.unescape(fields.get(1)), StandardCharsets.UTF_8))
            .as("row %d", id)
            .isEqualTo(notes.get(id));
      }
      assertThat(CopyText.isNull(fields.get(2))).isEqualTo(raws.get(id) == null);
      if (raws.get(id) != null) {
        assertThat(CopyText.bytea(CopyText.unescape(fields.get(2))))
            .as("row %d", id)
            .isEqualTo(raws.get(id));
      }
    }
  }

  @Test
  void escapesPostgresReadsButDoesNotWrite_areReadAsPostgresReadsThem() throws Exception {
    database.jdbi().useHandle(h -> h.execute("CREATE TABLE e (n int, note text)"));
    String[] escaped = {
      "\\101", "\\7", "\\0101", "\\x41", "\\x4", "\\x4g", "\\xg", "\\q", "a\\\\b", "\\N\\N",
      "\\v\\b"
    };
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < escaped.length; i++) {
      input.append(i).append('\t').append(escaped[i]).append('\n');
    }
    try (Connection connection = database.dataSource().getConnection()) {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY e FROM STDIN",
              new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)));
    }
    List<String> stored =
        database
            .jdbi()
            .withHandle(
                h -> h.createQuery("SELECT note FROM e ORDER BY n").mapTo(String.class).list());

    for (int i = 0; i < escaped.length; i++) {
      byte[] parsed = CopyText.unescape(escaped[i].getBytes(StandardCharsets.UTF_8));
      assertThat(new String(parsed, StandardCharsets.UTF_8))
          .as(escaped[i])
          .isEqualTo(stored.get(i));
    }
  }

  @Test
  void aFieldEndingInALoneBackslash_orByteaNotInHex_isRefused() {
    assertThatThrownBy(() -> CopyText.unescape("ab\\".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CopyText.bytea("\\001".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CopyText.bytea("\\x0g".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyFields_areKept() {
    assertThat(CopyText.split("\t\t".getBytes(StandardCharsets.UTF_8)))
        .hasSize(3)
        .allSatisfy(f -> assertThat(f).isEmpty());
  }

  private List<byte[]> copyOut(String sql) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Connection connection = database.dataSource().getConnection()) {
      connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
    }
    byte[] all = out.toByteArray();
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    return lines;
  }

  private static String text(Random random) {
    int[] codePoints = ALPHABET.codePoints().toArray();
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    return text.toString();
  }

  private static byte[] bytes(Random random) {
    byte[] bytes = new byte[random.nextInt(60)];
    random.nextBytes(bytes);
    return bytes;
  }
}
