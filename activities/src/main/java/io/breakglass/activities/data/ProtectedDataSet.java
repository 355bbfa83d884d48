package io.breakglass.activities.data;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
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

  /** The encoding a data set of this configuration uses: files and objects are always binary. */
  static EnvelopeCodec codecFor(DataSetConfig config) {
    boolean binary = config.type() != DataSetType.POSTGRES_COLUMN || config.format() == EnvelopeFormat.BINARY;
    return binary ? new BinaryEnvelopeCodec() : new JsonEnvelopeCodec();
  }
}
