package io.breakglass.api.codec;

import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.worker.CodecConfig;
import io.breakglass.worker.CodecKeys;
import io.breakglass.workflows.codec.PayloadEncryptionCodec;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the codec server: the endpoints, with the keys of {@code temporal.codec}, their
 * authentication ({@code codecServer.oidc} and {@code api.auth}), and CORS.
 */
public final class CodecServer {

  private static final Logger log = LoggerFactory.getLogger(CodecServer.class);

  private CodecServer() {}

  /**
   * Registers nothing when {@code temporal.codec} is not configured: there is nothing to decode.
   */
  public static void register(BreakglassConfiguration configuration, Environment environment) {
    CodecConfig codec = configuration.getTemporal().codec();
    if (codec == null) {
      log.info("codec server off: temporal.codec is not configured");
      return;
    }
    JerseyEnvironment jersey = environment.jersey();
    jersey.register(
        new CodecResource(new PayloadEncryptionCodec(CodecKeys.load(codec, System::getenv))));
    jersey.register(
        new CodecAuthentication(
            new CodecCallers(
                configuration.getCodecServer().oidc(), configuration.getApi().auth())));
    jersey.register(new CodecCors(configuration.getCodecServer()));
    if (configuration.getCodecServer().loopbackTokenFile() != null) {
      jersey.register(LoopbackCodecToken.read(configuration.getCodecServer().loopbackTokenFile()));
      log.info(
          "codec server: requests from loopback without a token are let in as the user of {}",
          configuration.getCodecServer().loopbackTokenFile());
    }
  }
}
