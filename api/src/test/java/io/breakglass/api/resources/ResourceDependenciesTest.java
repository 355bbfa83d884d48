package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resources and their wire types see the workflow contract and the API's own types, never the
 * activities' internals (a database row, a secret store): the audit store or a store may change
 * without changing the API. Read from the compiled classes, whose constant pool names every class a
 * class refers to, imported or written out in full.
 */
class ResourceDependenciesTest {

  private static final String ACTIVITIES = "io/breakglass/activities/";

  @Test
  void resourcesAndWireTypes_referToNoActivitiesClass() {
    List<Path> classes = compiledClasses("resources", "wire");
    assertThat(classes).hasSizeGreaterThan(15);
    assertThat(
            classes.stream()
                .filter(ResourceDependenciesTest::refersToActivities)
                .map(Path::getFileName))
        .isEmpty();
  }

  @Test
  void negativeControl_theApiCore_whichAdaptsTheActivities_isFound() {
    assertThat(
            compiledClasses("core").stream()
                .filter(ResourceDependenciesTest::refersToActivities)
                .map(Path::getFileName))
        .extracting(Path::toString)
        .contains("Rotations.class", "PendingValues.class", "AuditRecords.class");
  }

  private static boolean refersToActivities(Path classFile) {
    try {
      // Class names in the constant pool are modified UTF-8, which is ASCII for these names.
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
          .contains(ACTIVITIES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> compiledClasses(String... packages) {
    try {
      Path root =
          Path.of(
              RotationsResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Stream.of(packages)
          .map(p -> root.resolve("io/breakglass/api").resolve(p))
          .flatMap(ResourceDependenciesTest::walk)
          .filter(f -> f.toString().endsWith(".class"))
          .toList();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> walk(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
