package io.breakglass.activities.data;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.FormatProfile;
import io.breakglass.activities.crypto.ApplicationJsonCodec;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.workflows.messages.values.DataSetType;

/**
 * A configured data set with the store that holds its items and the envelope encoding they use.
 *
 * @param config its configuration
 * @param store where its items live
 * @param codec how its envelopes are encoded
 */
public record ProtectedDataSet(DataSetConfig config, ItemStore store, EnvelopeCodec codec) {

  public String name() {
    return config.name();
  }

  public String secret() {
    return config.secret();
  }

  /**
   * The encoding a data set of this configuration uses: the application's own JSON envelope where
   * its profile says so; otherwise envelope v1, always binary in files and objects.
   *
   * @throws IllegalArgumentException naming the data set when its profile cannot be used
   */
  static EnvelopeCodec codecFor(DataSetConfig config) {
    String where = "data set " + config.name();
    FormatProfile profile = config.profile();
    if (config.associatedData() == AssociatedDataMode.CONSTANT
        && profile.associatedDataConstant() == null) {
      throw new IllegalArgumentException(
          where + ": associatedData CONSTANT needs profile.associatedDataConstant");
    }
    if (config.associatedData() == AssociatedDataMode.CONSTANT
        && config.type() == DataSetType.S3_OBJECTS) {
      throw new IllegalArgumentException(
          where + ": associatedData CONSTANT is for table columns and folders");
    }
    if (profile.kind() == FormatProfile.Kind.APPLICATION_JSON) {
      if (config.type() == DataSetType.S3_OBJECTS) {
        throw new IllegalArgumentException(
            where
                + ": the APPLICATION_JSON profile is for table columns and folders, not S3 objects");
      }
      if (config.type() == DataSetType.POSTGRES_COLUMN
          && config.format() == EnvelopeFormat.BINARY) {
        throw new IllegalArgumentException(
            where + ": an APPLICATION_JSON profile is JSON, not BINARY");
      }
      try {
        return new ApplicationJsonCodec(config.secret(), profile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    if (profile.ciphertextField() != null
        || profile.nonceField() != null
        || profile.tagField() != null
        || profile.keyIdField() != null
        || !profile.fixedFields().isEmpty()) {
      throw new IllegalArgumentException(
          where + ": profile fields name an application's envelope, but kind is " + profile.kind());
    }
    boolean binary =
        config.type() != DataSetType.POSTGRES_COLUMN || config.format() == EnvelopeFormat.BINARY;
    return binary ? new BinaryEnvelopeCodec() : new JsonEnvelopeCodec();
  }
}
