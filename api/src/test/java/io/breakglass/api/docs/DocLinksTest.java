package io.breakglass.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in every Markdown file of the repository resolves inside it: the file or
 * folder exists, and an {@code #anchor} into a Markdown file names one of its headings. The
 * negative control builds a small tree with each kind of broken link and sees each one reported. No
 * Markdown file holds a merge-conflict marker (an index merged by hand once kept them).
 */
class DocLinksTest {

  /** The tests run in the {@code api} module's folder. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyRelativeLinkInTheRepositorysDocs_resolvesToAFileAndHeadingInsideIt() {
    assertThat(DocLinks.markdownFiles(REPOSITORY))
        .as("the check found the repository's documentation")
        .contains(
            Path.of("README.md"),
            Path.of("docs/architecture.md"),
            Path.of("docs/testing.md"),
            Path.of("docs/decisions/README.md"),
            Path.of("docs/operator/README.md"));

    assertThat(DocLinks.brokenLinks(REPOSITORY)).isEmpty();
  }

  @Test
  void aTreeWithBrokenLinks_reportsEachOne_andNotTheLinksThatResolve(@TempDir Path tree)
      throws Exception {
    Files.createDirectories(tree.resolve("docs/guide"));
    Files.writeString(
        tree.resolve("docs/guide/present.md"),
        """
        # The `present` page: here

        ## Twice
        ## Twice
        """);
    Files.writeString(
        tree.resolve("README.md"),
        """
        # Project

        [fine](docs/guide/present.md) and [fine with anchor](docs/guide/present.md#the-present-page-here),
        [the second twice](docs/guide/present.md#twice-1), [a folder](docs/guide), [own heading](#project),
        [a link whose text
        spans two lines](docs/guide/present.md), [outside, with a scheme](https://example.com/missing.md).

        [missing file](docs/guide/missing.md)
        [missing anchor](docs/guide/present.md#no-such-heading)
        [missing own anchor](#nowhere)
        [escapes the repository](../outside.md)

        ```
        [inside a code block](docs/nowhere.md)
        ```
        and `[inline code](docs/nowhere.md)` is text too.
        """);
    Files.writeString(
        tree.resolve("docs/guide/back.md"),
        "[up and over](../../README.md#project) [wrong way](../README.md)\n");
    Files.createDirectories(tree.resolve("target"));
    Files.writeString(
        tree.resolve("target/generated.md"), "[build output is not checked](nowhere.md)\n");

    assertThat(DocLinks.brokenLinks(tree))
        .extracting(b -> b.file() + ":" + b.line() + " " + b.target())
        .containsExactlyInAnyOrder(
            "README.md:8 docs/guide/missing.md",
            "README.md:9 docs/guide/present.md#no-such-heading",
            "README.md:10 #nowhere",
            "README.md:11 ../outside.md",
            "docs/guide/back.md:1 ../README.md");
  }

  @Test
  void anchors_followGitHubsHeadingSlugs() {
    assertThat(DocLinks.slug("`dev`: the embedded stack, waiting for you"))
        .isEqualTo("dev-the-embedded-stack-waiting-for-you");
    assertThat(DocLinks.slug("METRIC_WATCH and the log scan"))
        .isEqualTo("metric_watch-and-the-log-scan");
    assertThat(DocLinks.slug("Safety rules: never back onto a suspected key by itself"))
        .isEqualTo("safety-rules-never-back-onto-a-suspected-key-by-itself");
    assertThat(DocLinks.headingAnchors("# A\n## A\n```\n# not a heading\n```\n"))
        .containsExactlyInAnyOrder("a", "a-1");
  }

  @Test
  void noMarkdownFileHoldsAMergeConflictMarker() throws Exception {
    assertThat(conflictMarkers(REPOSITORY)).isEmpty();
  }

  /** The negative control of the conflict check: a file with a marker is named, prose is not. */
  @Test
  void aFileWithAConflictMarker_isNamed(@TempDir Path tree) throws Exception {
    Files.writeString(tree.resolve("clean.md"), "# Clean\n\nA line of ======= is prose.\n");
    Files.writeString(tree.resolve("left.md"), "| 1 | a |\n<<<<<<< HEAD\n| 2 | b |\n=======\n");

    assertThat(conflictMarkers(tree)).containsExactly("left.md:2", "left.md:4");
  }

  /** {@code file:line} of every line that opens, splits or closes a merge conflict. */
  private static List<String> conflictMarkers(Path root) throws Exception {
    List<String> found = new ArrayList<>();
    for (Path file : DocLinks.markdownFiles(root)) {
      List<String> lines = Files.readAllLines(root.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        if (CONFLICT_MARKER.matcher(lines.get(i)).matches()) {
          found.add(file + ":" + (i + 1));
        }
      }
    }
    return found;
  }

  private static final Pattern CONFLICT_MARKER = Pattern.compile("^(<{7} .*|={7}|>{7} .*)$");
}
