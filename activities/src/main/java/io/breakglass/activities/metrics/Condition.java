package io.breakglass.activities.metrics;

import java.util.Locale;

/**
 * A success or failure condition of a metric, in a deliberately small language: {@code result}, a
 * comparison, and an expression of numbers and {@code baseline} joined by {@code +}, {@code -} and
 * {@code *}, for example {@code result > 0} or {@code result <= baseline * 1.5 + 1}. Anything else
 * is refused when the configuration loads, with the position of the problem.
 */
public final class Condition {

  private enum Comparison {
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    EQUAL("=="),
    NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double left, double right) {
      return switch (this) {
        case LESS -> left < right;
        case LESS_OR_EQUAL -> left <= right;
        case GREATER -> left > right;
        case GREATER_OR_EQUAL -> left >= right;
        case EQUAL -> left == right;
        case NOT_EQUAL -> left != right;
      };
    }
  }

  /** The right-hand side: a tiny expression tree over numbers and the baseline. */
  private sealed interface Expression {
    double value(double baseline);

    boolean usesBaseline();
  }

  private record Constant(double number) implements Expression {
    @Override
    public double value(double baseline) {
      return number;
    }

    @Override
    public boolean usesBaseline() {
      return false;
    }
  }

  private record Baseline() implements Expression {
    @Override
    public double value(double baseline) {
      return baseline;
    }

    @Override
    public boolean usesBaseline() {
      return true;
    }
  }

  private record Operation(char operator, Expression left, Expression right) implements Expression {
    @Override
    public double value(double baseline) {
      double l = left.value(baseline);
      double r = right.value(baseline);
      return switch (operator) {
        case '+' -> l + r;
        case '-' -> l - r;
        default -> l * r;
      };
    }

    @Override
    public boolean usesBaseline() {
      return left.usesBaseline() || right.usesBaseline();
    }
  }

  private final String text;
  private final Comparison comparison;
  private final Expression bound;

  private Condition(String text, Comparison comparison, Expression bound) {
    this.text = text;
    this.comparison = comparison;
    this.bound = bound;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the condition, what was expected and where
   */
  public static Condition parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a condition is empty; write e.g. 'result > 0'");
    }
    return new Parser(text).condition();
  }

  /** Whether the condition needs a baseline. */
  public boolean usesBaseline() {
    return bound.usesBaseline();
  }

  /** Whether {@code result} meets the condition; {@code baseline} is read only if it is used. */
  public boolean test(double result, double baseline) {
    return comparison.holds(result, bound.value(baseline));
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive descent over the grammar in the class comment. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    Condition condition() {
      expectWord("result");
      Comparison comparison = comparison();
      Expression bound = sum();
      skipSpaces();
      if (at < text.length()) {
        throw error("unexpected '" + text.charAt(at) + "'");
      }
      return new Condition(text.strip(), comparison, bound);
    }

    private Comparison comparison() {
      skipSpaces();
      for (String symbol : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
        if (text.startsWith(symbol, at)) {
          at += symbol.length();
          for (Comparison comparison : Comparison.values()) {
            if (comparison.symbol.equals(symbol)) {
              return comparison;
            }
          }
        }
      }
      throw error("expected a comparison (<, <=, >, >=, ==, !=)");
    }

    private Expression sum() {
      Expression left = product();
      while (true) {
        skipSpaces();
        if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
          char operator = text.charAt(at++);
          left = new Operation(operator, left, product());
        } else {
          return left;
        }
      }
    }

    private Expression product() {
      Expression left = atom();
      while (true) {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == '*') {
          at++;
          left = new Operation('*', left, atom());
        } else {
          return left;
        }
      }
    }

    private Expression atom() {
      skipSpaces();
      if (text.startsWith("baseline", at)) {
        expectWord("baseline");
        return new Baseline();
      }
      int start = at;
      while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
        at++;
      }
      if (start == at) {
        throw error("expected a number or 'baseline'");
      }
      try {
        return new Constant(Double.parseDouble(text.substring(start, at)));
      } catch (NumberFormatException e) {
        at = start;
        throw error("malformed number");
      }
    }

    private void expectWord(String word) {
      skipSpaces();
      int end = at + word.length();
      boolean wordEnds = end >= text.length() || !Character.isLetterOrDigit(text.charAt(end));
      if (!text.startsWith(word, at) || !wordEnds) {
        throw error("expected '" + word + "'");
      }
      at = end;
    }

    private void skipSpaces() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private IllegalArgumentException error(String problem) {
      return new IllegalArgumentException(
          String.format(Locale.ROOT, "condition '%s': %s at position %d", text, problem, at + 1));
    }
  }
}
