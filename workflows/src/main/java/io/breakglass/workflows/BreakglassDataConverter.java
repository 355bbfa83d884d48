package io.breakglass.workflows;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.codec.CodecKeyring;
import io.breakglass.workflows.codec.EncodedOnlyCodec;
import io.breakglass.workflows.codec.PayloadEncryptionCodec;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;

/**
 * The data converter every worker, client and replay test uses: Temporal's JSON converter with
 * ISO-8601 times and durations (readable in the Temporal UI) and enum values accepted in any case,
 * so an operator may paste {@code "proceed"} or {@code "PROCEED"}. A command typed by hand that
 * cannot be read reaches the workflow with its problems listed rather than failing the workflow
 * task (see {@link CommandJsonConverter}). Workers and clients add the payload codec ({@link
 * #create(CodecKeyring)}); replay tests of histories recorded without it use {@link #create()}.
 */
public final class BreakglassDataConverter {

  private BreakglassDataConverter() {}

  /** The shared JSON mapper (thread-safe once built). */
  public static ObjectMapper objectMapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    return mapper;
  }

  /** A converter with the Breakglass JSON settings and no codec: payloads are stored as JSON. */
  public static DataConverter create() {
    return DefaultDataConverter.newDefaultInstance()
        .withPayloadConverterOverrides(new CommandJsonConverter(objectMapper()));
  }

  /**
   * The Breakglass JSON converter behind {@link PayloadEncryptionCodec}: every payload, and the
   * message and stack trace of every failure, is stored encrypted under the keyring's primary key.
   * Payloads written without the codec still decode.
   */
  public static DataConverter create(CodecKeyring keyring) {
    return create(keyring, false);
  }

  /**
   * {@link #create(CodecKeyring)}; with {@code requireEncoded}, a payload that the codec did not
   * encrypt is not read (see {@link EncodedOnlyCodec}).
   */
  public static DataConverter create(CodecKeyring keyring, boolean requireEncoded) {
    PayloadEncryptionCodec codec = new PayloadEncryptionCodec(keyring);
    return new CodecDataConverter(
        create(),
        List.<PayloadCodec>of(requireEncoded ? new EncodedOnlyCodec(codec) : codec),
        true);
  }
}
