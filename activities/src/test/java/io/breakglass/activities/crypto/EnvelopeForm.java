package io.breakglass.activities.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Base64;

/** The two stored forms of envelope v1; tests run over both. */
enum EnvelopeForm {
  JSON(new JsonEnvelopeCodec()) {
    @Override
    byte[] storedWithKeyIdBytes(Envelope envelope, byte[] keyIdBytes) {
      String kid =
          new String(JsonStringEncoder.getInstance().quoteAsString(new String(keyIdBytes, UTF_8)));
      return ("{\"v\":1,\"kid\":\""
              + kid
              + "\",\"alg\":\"AES-256-GCM\",\"nonce\":\""
              + Base64.getEncoder().encodeToString(envelope.nonce())
              + "\",\"ciphertext\":\""
              + Base64.getEncoder().encodeToString(envelope.ciphertext())
              + "\"}")
          .getBytes(UTF_8);
    }
  },
  BINARY(new BinaryEnvelopeCodec()) {
    @Override
    byte[] storedWithKeyIdBytes(Envelope envelope, byte[] keyIdBytes) {
      byte[] stored = codec().encode(envelope);
      System.arraycopy(keyIdBytes, 0, stored, 2, keyIdBytes.length);
      return stored;
    }
  };

  private final EnvelopeCodec codec;

  EnvelopeForm(EnvelopeCodec codec) {
    this.codec = codec;
  }

  EnvelopeCodec codec() {
    return codec;
  }

  /**
   * The stored form of {@code envelope} with its key id replaced by raw bytes of the same length,
   * which may not be a valid key id (or valid UTF-8): how a flipped key id reaches the decoder.
   */
  abstract byte[] storedWithKeyIdBytes(Envelope envelope, byte[] keyIdBytes);
}
