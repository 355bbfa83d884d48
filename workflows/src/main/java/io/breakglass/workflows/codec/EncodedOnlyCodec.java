package io.breakglass.workflows.codec;

import com.google.protobuf.ByteString;
import io.breakglass.workflows.messages.commands.CommandJson;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The codec of a worker that reads only payloads the Breakglass codec encrypted ({@code
 * temporal.codec.requireEncoded}). Encrypted payloads decode as with {@link
 * PayloadEncryptionCodec}; any other payload (plain JSON typed into the Temporal UI or the {@code
 * temporal} CLI without the codec endpoint, or sent by any client without the codec key) is not
 * read, nor is one that claims the encrypted encoding but does not decrypt under a key this worker
 * holds (forged, or under a key it was not given). Thrown, such a payload would fail the workflow
 * task again and again, so that anyone allowed to signal could stall a rotation; instead it decodes
 * to a refusal, marked with {@link #REFUSED}, that a command reads as unreadable with {@link
 * #REASON} (a signal is listed in the rotation's refusals, a start fails with {@code
 * INVALID_REQUEST}, a {@code decide} update is refused) and that no other type reads at all.
 *
 * <p>So only a caller who could encrypt under the codec key, that is the codec server's
 * authenticated encoders or a process holding the key, can send input the workflow acts on.
 */
public final class EncodedOnlyCodec implements PayloadCodec {

  /** The metadata key that marks a payload refused for not being encrypted. */
  public static final String REFUSED = "breakglass-refused";

  /** Why such a payload is not read. */
  public static final String REASON =
      "the payload was not encrypted by the Breakglass payload codec with a key this worker holds"
          + " (temporal.codec.requireEncoded): send it through the codec endpoint or a client with the codec";

  private static final Logger log = LoggerFactory.getLogger(EncodedOnlyCodec.class);

  private static final ByteString ENCRYPTED =
      ByteString.copyFromUtf8(PayloadEncryptionCodec.ENCODING);
  private static final Payload REFUSAL =
      Payload.newBuilder()
          .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("json/plain"))
          .putMetadata(REFUSED, ByteString.copyFromUtf8("not-encrypted"))
          .setData(
              ByteString.copyFrom(
                  CommandJson.unreadable(REASON).toString(), StandardCharsets.UTF_8))
          .build();

  private final PayloadEncryptionCodec codec;

  public EncodedOnlyCodec(PayloadEncryptionCodec codec) {
    this.codec = codec;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return codec.encode(payloads);
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decode).toList();
  }

  private Payload decode(Payload payload) {
    if (!ENCRYPTED.equals(payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, null))) {
      return REFUSAL;
    }
    try {
      return codec.decode(List.of(payload)).get(0);
    } catch (PayloadCodecException e) {
      // The message names the codec key id, never content: the operator sees which key is missing.
      log.warn("refused an encrypted payload that does not decrypt: {}", e.getMessage());
      return REFUSAL;
    }
  }
}
