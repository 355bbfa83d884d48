package io.breakglass.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where dev, demo and the tests look for the Temporal CLI, in order. */
class TemporalCliTest {

  @TempDir Path folder;

  @Test
  void theNamedBinary_comesFirst_thenThePath_thenTheProjectToolsFolderAboveTheWorkingDirectory()
      throws IOException {
    Path named = executable(folder.resolve("named/temporal"));
    Path onPath = executable(folder.resolve("usr/bin/temporal"));
    Path project = folder.resolve("project");
    Path tools = executable(project.resolve(TemporalCli.PROJECT_TOOLS));
    Path module = Files.createDirectories(project.resolve("worker"));
    String path = folder.resolve("usr/bin").toString();

    assertThat(
            TemporalCli.find(Map.of(TemporalCli.ENV, named.toString(), "PATH", path), module, null))
        .contains(named);
    assertThat(TemporalCli.find(Map.of("PATH", path), module, null)).contains(onPath);
    assertThat(TemporalCli.find(Map.of("PATH", "/nonexistent"), module, null)).contains(tools);
    assertThat(
            TemporalCli.find(Map.of("PATH", "/nonexistent"), folder, project.resolve("app/target")))
        .as("above the jar")
        .contains(tools);
  }

  @Test
  void nothingFound_isEmpty_andANamedFileThatIsNotABinary_isAnError() throws IOException {
    Path notExecutable = Files.writeString(folder.resolve("temporal"), "");

    assertThat(TemporalCli.find(Map.of("PATH", folder.resolve("none").toString()), folder, null))
        .isEmpty();
    assertThatThrownBy(
            () -> TemporalCli.find(Map.of(TemporalCli.ENV, notExecutable.toString()), folder, null))
        .hasMessageContaining(TemporalCli.ENV + "=" + notExecutable + " is not an executable file");
  }

  private static Path executable(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
