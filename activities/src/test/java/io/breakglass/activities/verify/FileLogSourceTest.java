package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.verify.LogSource.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogSourceTest {

  @TempDir Path folder;

  @Test
  void theLastLinesOfTheFile_areReadOldestFirst() throws Exception {
    Path log = Files.writeString(folder.resolve("backend.log"), "one\ntwo\nthree\nfour\nfive\n");

    assertThat(new FileLogSource(log).recentLines(3)).extracting(LogLine::text).containsExactly("three", "four", "five");
  }

  @Test
  void aFileShorterThanAsked_isReadWhole() throws Exception {
    Path log = Files.writeString(folder.resolve("backend.log"), "one\ntwo");

    assertThat(new FileLogSource(log).recentLines(10))
        .containsExactly(new LogLine(log.toString(), "one"), new LogLine(log.toString(), "two"));
  }
}
