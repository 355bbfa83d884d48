package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads one {@link Command}'s JSON object field by field, as an operator typed it into the Temporal
 * UI or the {@code temporal} CLI. It never throws: whatever it cannot read (an unknown field, a
 * wrong JSON type, an enum value that does not exist, a duration that is not ISO-8601, a value too
 * long or holding control characters) becomes a problem naming the field and the form it accepts,
 * and the field reads as null.
 */
public final class CommandJson {

  /** Longest name (an actor, an approver, a deployment, a secret). */
  public static final int MAX_NAME = 200;

  /** Longest free text (a reason or a comment), as the API allows. */
  public static final int MAX_TEXT = 2000;

  /** Longest proof: a compact JWS (an identity provider's token or a signed statement). */
  public static final int MAX_PROOF = 16_384;

  private static final java.util.regex.Pattern COMPACT_JWS =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  /** Most entries in a list (secrets per rotation), as the API allows. */
  public static final int MAX_ITEMS = 32;

  /** The field {@link #unreadable} puts the reason in; typed by hand it is an unknown field too. */
  private static final String UNREADABLE = "(unreadable)";

  private static final int ECHOED = 40;

  private final ObjectNode object;
  private final List<String> problems = new ArrayList<>();

  private CommandJson(JsonNode json, List<String> fields) {
    if (json != null && json.isObject()) {
      object = (ObjectNode) json;
      if (object.has(UNREADABLE)) {
        problems.add(object.get(UNREADABLE).asText());
        return;
      }
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!fields.contains(name)) {
          problems.add(
              "unknown field "
                  + echo(name)
                  + " (the fields are "
                  + String.join(", ", fields)
                  + ")");
        }
      }
    } else {
      object = JsonNodeFactory.instance.objectNode();
      problems.add("the input must be a JSON object with the fields " + String.join(", ", fields));
    }
  }

  /** Starts reading {@code json}, a command whose only fields are {@code fields}. */
  public static CommandJson read(JsonNode json, String... fields) {
    return new CommandJson(json, List.of(fields));
  }

  /**
   * What a command reads as when its payload is not JSON at all (cut short, nested too deep): an
   * object that makes every command list {@code reason} as its one problem.
   */
  public static JsonNode unreadable(String reason) {
    return JsonNodeFactory.instance.objectNode().put(UNREADABLE, reason);
  }

  /** A proof: a compact JWS of at most {@value #MAX_PROOF} characters (three base64url parts). */
  public String proof(String field) {
    String value = string(field, MAX_PROOF);
    if (value != null && !COMPACT_JWS.matcher(value).matches()) {
      return problem(field + " must be a compact JWS: three base64url parts separated by dots");
    }
    return value;
  }

  /** A name: a string of at most {@value #MAX_NAME} characters, no control or format characters. */
  public String name(String field) {
    String value = string(field, MAX_NAME);
    if (value != null && value.codePoints().anyMatch(c -> invisible(c))) {
      return problem(field + " must not contain control or invisible characters");
    }
    return value;
  }

  /** Free text: a string of at most {@value #MAX_TEXT} characters; tabs and line breaks allowed. */
  public String text(String field) {
    String value = string(field, MAX_TEXT);
    if (value != null
        && value
            .codePoints()
            .anyMatch(
                c ->
                    Character.getType(c) == Character.CONTROL
                        && c != '\t'
                        && c != '\n'
                        && c != '\r')) {
      return problem(
          field + " must not contain control characters other than tabs and line breaks");
    }
    return value;
  }

  /** A list of at most {@value #MAX_ITEMS} names. */
  public List<String> names(String field) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      return problem(field + " must be a JSON array of strings");
    }
    if (node.size() > MAX_ITEMS) {
      return problem(field + " must list at most " + MAX_ITEMS + " entries, not " + node.size());
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        return problem(field + " must be a JSON array of strings");
      }
      if (item.asText().length() > MAX_NAME
          || item.asText().codePoints().anyMatch(c -> invisible(c))) {
        return problem(
            field
                + " entries must be at most "
                + MAX_NAME
                + " characters, without control characters");
      }
      values.add(item.asText());
    }
    return values;
  }

  /** One of {@code type}'s constants, in any case. */
  public <E extends Enum<E>> E choice(String field, Class<E> type) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    E[] constants = type.getEnumConstants();
    if (node.isTextual()) {
      for (E constant : constants) {
        if (constant.name().equalsIgnoreCase(node.asText())) {
          return constant;
        }
      }
    }
    String allowed = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
    return problem(field + " must be one of " + allowed + " (any case), not " + echo(node));
  }

  /** A whole number that fits an {@code int}. */
  public Integer whole(String field) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      return problem(field + " must be a whole number, not " + echo(node));
    }
    return node.intValue();
  }

  /** {@code true} or {@code false}; null when absent. */
  public Boolean flag(String field) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    if (!node.isBoolean()) {
      return problem(field + " must be true or false, not " + echo(node));
    }
    return node.booleanValue();
  }

  /**
   * An ISO-8601 duration such as {@code PT4H}. Seconds with a fraction ({@code 14400.000000000})
   * are read too: that is how Java clients wrote durations before they wrote ISO-8601.
   */
  public Duration duration(String field) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    if (node.isFloatingPointNumber()) {
      BigDecimal seconds = node.decimalValue();
      return Duration.ofSeconds(
          seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }
    if (node.isTextual()) {
      try {
        return Duration.parse(node.asText());
      } catch (DateTimeParseException notIso) {
        // reported below
      }
    }
    return problem(
        field + " must be an ISO-8601 duration such as PT4H or PT30M, not " + echo(node));
  }

  /** Records that {@code field}, absent or null, is required in {@code form}. */
  public void require(String field, String form) {
    if (field(field) == null) {
      problems.add(field + " is required: " + form);
    }
  }

  /** What could not be read, in the order found; empty when everything was read. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  private String string(String field, int longest) {
    JsonNode node = field(field);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      return problem(field + " must be a string, not " + echo(node));
    }
    if (node.asText().length() > longest) {
      return problem(
          field + " must be at most " + longest + " characters, not " + node.asText().length());
    }
    return node.asText();
  }

  /** The field's value; null when absent or JSON null. */
  private JsonNode field(String field) {
    JsonNode node = object.get(field);
    return node == null || node.isNull() ? null : node;
  }

  private <T> T problem(String problem) {
    problems.add(problem);
    return null;
  }

  private static boolean invisible(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT;
  }

  /** Part of what was typed, safe to show: quoted, cut short, control characters replaced. */
  private static String echo(JsonNode node) {
    if (node.isObject()) {
      return "a JSON object";
    }
    if (node.isArray()) {
      return "a JSON array";
    }
    return node.isTextual() ? echo(node.asText()) : safe(node.toString());
  }

  private static String echo(String typed) {
    return '"' + safe(typed) + '"';
  }

  private static String safe(String typed) {
    String shown =
        typed.codePointCount(0, typed.length()) > ECHOED
            ? typed.substring(0, typed.offsetByCodePoints(0, ECHOED)) + "…"
            : typed;
    StringBuilder safe = new StringBuilder();
    shown.codePoints().forEach(c -> safe.appendCodePoint(invisible(c) ? '?' : c));
    return safe.toString();
  }
}
