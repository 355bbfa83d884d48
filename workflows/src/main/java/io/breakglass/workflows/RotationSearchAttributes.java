package io.breakglass.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The search attributes a {@link RotationWorkflow} keeps up to date as it moves, so the Temporal
 * Web UI and {@code temporal workflow list --query} can filter rotations, e.g. {@code
 * BreakglassKind='EMERGENCY' AND BreakglassState='AWAITING_APPROVAL'}. A namespace must have them
 * registered before a worker runs rotations there ({@link #ALL} with their types).
 */
public final class RotationSearchAttributes {

  public static final SearchAttributeKey<String> ROTATION_ID =
      SearchAttributeKey.forKeyword("BreakglassRotationId");
  public static final SearchAttributeKey<List<String>> SECRETS =
      SearchAttributeKey.forKeywordList("BreakglassSecrets");

  /** {@code EMERGENCY} or {@code ROUTINE}. */
  public static final SearchAttributeKey<String> KIND =
      SearchAttributeKey.forKeyword("BreakglassKind");

  /** The runbook phase it is in, a {@code Phase} name. */
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("BreakglassPhase");

  /** Where it stands, a {@code RotationState} name (as the {@code status} query reports it). */
  public static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("BreakglassState");

  public static final SearchAttributeKey<String> INITIATOR =
      SearchAttributeKey.forKeyword("BreakglassInitiator");

  /** Every key, in the order they are documented. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(ROTATION_ID, SECRETS, KIND, PHASE, STATE, INITIATOR);

  private RotationSearchAttributes() {}

  /**
   * The type of {@code key} as the Temporal CLI names it ({@code Keyword}, {@code KeywordList}),
   * e.g. for {@code temporal operator search-attribute create --type}.
   */
  public static String cliType(SearchAttributeKey<?> key) {
    return switch (key.getValueType()) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      default -> throw new IllegalArgumentException("no CLI type for " + key.getValueType());
    };
  }
}
