package io.breakglass.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * The IAM policy in {@code deploy/iam/breakglass-policy.json}, read by statement id, so each
 * adapter's test can hold its statement against the calls it makes.
 */
public final class IamPolicy {

  /** The policy file, from a module's folder (where tests run). */
  public static final Path FILE = Path.of("..", "deploy", "iam", "breakglass-policy.json");

  /** One Allow statement: its actions and the resources they are scoped to. */
  public record Statement(String sid, String effect, Set<String> actions, List<String> resources) {}

  private final JsonNode policy;

  private IamPolicy(JsonNode policy) {
    this.policy = policy;
  }

  public static IamPolicy load() {
    try {
      return new IamPolicy(new ObjectMapper().readTree(FILE.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every statement id, in file order. */
  public List<String> sids() {
    return StreamSupport.stream(policy.path("Statement").spliterator(), false)
        .map(s -> s.path("Sid").asText())
        .toList();
  }

  /** The statement with this id. */
  public Statement statement(String sid) {
    for (JsonNode s : policy.path("Statement")) {
      if (sid.equals(s.path("Sid").asText())) {
        return new Statement(
            sid,
            s.path("Effect").asText(),
            new LinkedHashSet<>(strings(s.path("Action"))),
            strings(s.path("Resource")));
      }
    }
    throw new AssertionError("no statement " + sid + " in " + FILE);
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
