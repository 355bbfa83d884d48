package io.breakglass.api.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of a repository's Markdown files, checked the way GitHub renders them: a
 * link's path must name a file or folder inside the repository, and its {@code #anchor}, when it
 * points at a Markdown file, one of that file's headings. Links in fenced code blocks and inline
 * code are text, not links; links with a scheme ({@code https:}, {@code mailto:}) are not checked.
 */
final class DocLinks {

  /** A link that does not resolve, with where it is and why. */
  record Broken(Path file, int line, String target, String reason) {
    @Override
    public String toString() {
      return file + ":" + line + ": (" + target + ") " + reason;
    }
  }

  private static final Pattern INLINE_LINK =
      Pattern.compile(
          "!?\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
  private static final Pattern HEADING =
      Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  private DocLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Every broken relative link in the Markdown files under {@code root}. */
  static List<Broken> brokenLinks(Path root) {
    DocLinks links = new DocLinks(root);
    List<Broken> broken = new ArrayList<>();
    for (Path file : markdownFiles(root)) {
      broken.addAll(links.check(links.root.resolve(file)));
    }
    return broken;
  }

  /**
   * The Markdown files under {@code root}, relative to it, leaving out build output ({@code
   * target}) and hidden folders ({@code .git}, the tools and data folders).
   */
  static List<Path> markdownFiles(Path root) {
    Path base = root.toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          base,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              boolean skipped =
                  !dir.equals(base)
                      && (name.startsWith(".")
                          || name.equals("target")
                          || name.equals("node_modules"));
              return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (file.toString().endsWith(".md") && attributes.isRegularFile()) {
                files.add(base.relativize(file));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
  }

  private List<Broken> check(Path file) {
    String text = proseOnly(read(file));
    List<Broken> broken = new ArrayList<>();
    for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        String reason = problem(file, target);
        if (reason != null) {
          broken.add(new Broken(root.relativize(file), lineOf(text, m.start()), target, reason));
        }
      }
    }
    return broken;
  }

  /** Why {@code target}, linked from {@code file}, does not resolve; null when it does. */
  private String problem(Path file, String target) {
    if (SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    if (target.isEmpty()) {
      return "empty link";
    }
    if (path.startsWith("/")) {
      return "absolute path: write it relative to the file";
    }
    Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
    if (!resolved.startsWith(root)) {
      return "outside the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file: " + root.relativize(resolved);
    }
    if (anchor != null
        && resolved.toString().endsWith(".md")
        && !anchorsOf(resolved).contains(anchor)) {
      return "no heading #" + anchor + " in " + root.relativize(resolved);
    }
    return null;
  }

  private Set<String> anchorsOf(Path file) {
    return anchors.computeIfAbsent(file, f -> headingAnchors(read(f)));
  }

  /** The anchors GitHub gives the headings of a Markdown text, duplicates numbered -1, -2, .... */
  static Set<String> headingAnchors(String markdown) {
    Set<String> result = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseOnly(markdown).split("\n", -1)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String slug = slug(m.group(2));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        result.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return result;
  }

  /**
   * GitHub's heading anchor: the text of the heading, lower case, punctuation dropped, spaces as
   * hyphens.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
    return text.strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }

  /**
   * The text with fenced code blocks blanked out (lines kept, so line numbers stay right) and
   * inline code removed, except that heading lines keep their code spans' text for their anchors.
   */
  private static String proseOnly(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
        out.append('\n');
        continue;
      }
      if (fenced) {
        out.append('\n');
      } else if (HEADING.matcher(line).matches()) {
        out.append(line.replace("`", "")).append('\n');
      } else {
        out.append(CODE_SPAN.matcher(line).replaceAll("")).append('\n');
      }
    }
    return out.toString();
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
