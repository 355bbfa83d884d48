package io.breakglass.activities.backup;

/**
 * An item of a backup's verification sample did not restore into the scratch area or did not
 * decrypt there. The message names the data set, the item id and the reason, never content.
 */
final class SampleNotVerifiedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  SampleNotVerifiedException(String dataSet, String itemId, String why) {
    super("data set " + dataSet + ": sample item " + itemId + " " + why, null, false, false);
  }
}
