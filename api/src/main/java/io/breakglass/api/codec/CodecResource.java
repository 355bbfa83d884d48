package io.breakglass.api.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.breakglass.api.auth.Role;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The Temporal codec server protocol, for the Temporal UI and {@code temporal --codec-endpoint}:
 * {@code POST /codec/decode} and {@code POST /codec/encode} take and return {@code
 * {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}} (the protobuf JSON form of
 * {@code Payloads}). The UI also sends {@code X-Namespace}; one keyring serves the namespace
 * Breakglass runs in, so the header changes nothing.
 *
 * <p>Decoding shows payloads in the clear, so it needs a signed-in caller (any role); encoding lets
 * the UI start workflows and send signals (the only ones a worker with {@code
 * temporal.codec.requireEncoded} reads), so it needs a role that may act on rotations. The caller
 * is signed in by {@link CodecAuthentication} (the Temporal UI's access tokens or the API's
 * credentials); the roles are checked here, so without that filter every call is 401. Errors name
 * the codec key id, never payload content.
 */
@Path("/codec")
@CodecCaller
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class CodecResource {

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private static final Set<String> DECODERS =
      Set.of(Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN);
  private static final Set<String> ENCODERS = Set.of(Role.OPERATOR, Role.APPROVER, Role.ADMIN);

  private final PayloadCodec codec;

  public CodecResource(PayloadCodec codec) {
    this.codec = codec;
  }

  @POST
  @Path("/decode")
  public String decode(@Context SecurityContext caller, String body) {
    admit(caller, DECODERS);
    return apply(body, codec::decode);
  }

  @POST
  @Path("/encode")
  public String encode(@Context SecurityContext caller, String body) {
    admit(caller, ENCODERS);
    return apply(body, codec::encode);
  }

  /** 401 without a signed-in caller, 403 without one of {@code roles}. */
  private static void admit(SecurityContext caller, Set<String> roles) {
    if (caller == null || caller.getUserPrincipal() == null) {
      throw new NotAuthorizedException("Bearer realm=\"breakglass\"");
    }
    if (roles.stream().noneMatch(caller::isUserInRole)) {
      throw new ForbiddenException();
    }
  }

  private static String apply(String body, UnaryOperator<List<Payload>> operation) {
    Payloads.Builder request = Payloads.newBuilder();
    try {
      PARSER.merge(body == null ? "" : body, request);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // Not the parser's message: it can quote the body.
      throw new BadRequestException(
          "the body is not a codec request {\"payloads\":[{\"metadata\":{},\"data\":\"\"}]}");
    }
    List<Payload> result;
    try {
      result = operation.apply(request.getPayloadsList());
    } catch (PayloadCodecException e) {
      throw new BadRequestException(e.getMessage());
    }
    try {
      return PRINTER.print(Payloads.newBuilder().addAllPayloads(result));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("payloads cannot be printed as JSON", e);
    }
  }
}
