package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.secrets.VersionStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How many version tags Breakglass keeps on one secret, and which to drop to stay within that. AWS
 * allows 50 tags per secret and Breakglass writes one per version, so without dropping any a secret
 * would refuse its 50th rotation. Only the tags of retired versions (REVOKED or DISCARDED, without
 * a label) are dropped, oldest first, and those of versions AWS no longer lists before all: a
 * CURRENT, PREVIOUS, PENDING or still active version keeps its tag. A version that lost its tag
 * this way reads as REVOKED with unknown metadata; the audit timeline keeps its history.
 */
final class TagBudget {

  /** Tags AWS allows per secret, not counting {@code aws:} ones. */
  static final int AWS_LIMIT = 50;

  /** Breakglass's share of a secret's tags, leaving the rest to the secret's owner. */
  static final int DEFAULT = 40;

  /** Forty of AWS's fifty. */
  static final TagBudget AWS = new TagBudget(DEFAULT, AWS_LIMIT);

  private final int budget;
  private final int limit;

  /**
   * @param budget the most version tags Breakglass keeps on one secret
   * @param limit the most tags a secret may hold, Breakglass's and its owner's
   */
  TagBudget(int budget, int limit) {
    this.budget = budget;
    this.limit = limit;
  }

  /**
   * The versions whose tags to remove before {@code versionIds} get theirs, so that afterwards
   * Breakglass holds at most the budget and the secret at most AWS's limit; empty when there is
   * room (rewriting a version's tag adds none). It may return fewer than needed when too few
   * versions are retired: AWS then refuses the tag.
   *
   * @param listedOldestFirst the ids of the versions AWS lists, oldest first
   * @param labelled the ids of versions that carry any label
   */
  List<String> toUntag(
      VersionTags tags,
      Collection<String> versionIds,
      List<String> listedOldestFirst,
      Set<String> labelled) {
    List<String> tagged = tags.versionIds();
    long adding = versionIds.stream().filter(id -> !tags.has(id)).count();
    int room = Math.min(budget, limit - tags.othersCounted());
    long excess = tagged.size() + adding - room;
    if (excess <= 0) {
      return List.of();
    }
    return tagged.stream()
        .filter(
            id ->
                tags.status(id) != VersionStatus.ACTIVE
                    && !labelled.contains(id)
                    && !versionIds.contains(id))
        // indexOf is -1 for a version AWS no longer lists: those go first.
        .sorted(Comparator.comparingInt(listedOldestFirst::indexOf))
        .limit(excess)
        .toList();
  }
}
