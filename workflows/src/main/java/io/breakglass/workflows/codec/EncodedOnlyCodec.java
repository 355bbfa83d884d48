package io.breakglass.workflows.codec;

import com.google.protobuf.ByteString;
import io.breakglass.workflows.messages.commands.CommandJson;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The codec of a worker that reads only payloads the Breakglass codec encrypted ({@code
 * temporal.codec.requireEncoded}). Encrypted payloads decode as with {@link
 * PayloadEncryptionCodec}; any other payload (plain JSON typed into the Temporal UI or the {@code
 * temporal} CLI without the codec endpoint, or sent by any client without the codec key) is not
 * read: it decodes to a refusal, marked with {@link #REFUSED}, that a command reads as unreadable
 * with {@link #REASON} (a signal is listed in the rotation's refusals, a start fails with {@code
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
      "the payload was not encrypted by the Breakglass payload codec (temporal.codec.requireEncoded): send it"
          + " through the codec endpoint or a client with the codec";

  private static final ByteString ENCRYPTED = ByteString.copyFromUtf8(PayloadEncryptionCodec.ENCODING);
  private static final Payload REFUSAL =
      Payload.newBuilder()
          .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("json/plain"))
          .putMetadata(REFUSED, ByteString.copyFromUtf8("not-encrypted"))
          .setData(ByteString.copyFrom(CommandJson.unreadable(REASON).toString(), StandardCharsets.UTF_8))
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
    boolean encrypted = ENCRYPTED.equals(payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, null));
    return encrypted ? codec.decode(List.of(payload)).get(0) : REFUSAL;
  }
}
